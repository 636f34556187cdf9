package dev.tally.bootstrap;

import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures {@code POST /v1/users/{user_id}/usage} throughput of the whole stack in this process,
 * over loopback HTTP: batches of 100 records, then single records with {@code "enforce": true}
 * (an atomic check-and-record each). Each phase is bounded both in requests and in time.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure usage-recording throughput over loopback HTTP, in process.")
final class BenchCommand implements Callable<Integer> {

    private static final int BATCH = 100;

    /** Numbers every request of every phase, so that no two requests share an idempotency key. */
    private final AtomicLong sequence = new AtomicLong();

    @Option(names = "--db-url", paramLabel = "URL", defaultValue = OpenStorage.MEMORY,
            description = "storage to measure against (a throwaway database!); default: ${DEFAULT-VALUE}")
    String dbUrl;

    @Option(names = "--seconds", defaultValue = "10", description = "time limit of each phase; default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--requests", defaultValue = "20000",
            description = "request limit of each phase; default: ${DEFAULT-VALUE}")
    int maxRequests;

    @Option(names = "--threads", defaultValue = "8", description = "concurrent clients; default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--users", defaultValue = "1",
            description = "users the clients spread over (1: every write contends for one user's limit);"
                    + " default: ${DEFAULT-VALUE}")
    int users;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What one phase measured. */
    record Result(String name, long requests, long errors, Duration took, int recordsPerRequest, String firstError) {
        double requestsPerSecond() {
            return requests * 1e9 / Math.max(1, took.toNanos());
        }

        @Override
        public String toString() {
            return String.format("%-42s %8d requests in %5.1f s = %8.0f requests/s (%9.0f records/s), %d errors",
                    name, requests, took.toMillis() / 1000.0, requestsPerSecond(),
                    requestsPerSecond() * recordsPerRequest, errors)
                    + (firstError == null ? "" : System.lineSeparator() + "  first error: " + firstError);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || maxRequests < 1 || threads < 1 || users < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--seconds, --requests, --threads and --users must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (TallyApp app = TallyApp.open(dbUrl, Clock.systemUTC())) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            PlanId plan = new PlanId("bench-" + run);
            app.tally().plans().put(Plan.of(plan, "Bench", new PlanLimits(Map.of(
                    new MetricKey("bench.enforced"), Limit.of(1_000_000_000L)))));
            int port = app.serve(0);
            List<Target> targets = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                UserId user = new UserId("bench-" + run + "-" + u);
                app.tally().users().put(PutUser.of(user, plan));
                targets.add(new Target(URI.create("http://127.0.0.1:" + port + "/v1/users/" + user + "/usage"),
                        app.tally().access().createUserKey(user).key()));
            }
            out.printf("Benchmarking POST /v1/users/{user_id}/usage on %s, %d threads over %d users, at most %d"
                    + " requests or %d s per phase%n", app.storageDescription(), threads, users, maxRequests, seconds);
            out.flush();

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            LongFunction<String> batch = n -> batchBody(run + "-b" + n);
            LongFunction<String> single = n -> "{\"enforce\": true, \"records\": [{\"metric\": \"bench.enforced\","
                    + " \"quantity\": 1, \"idempotency_key\": \"" + run + "-s" + n + "\"}]}";
            // Warm-up: lets the JIT compile the hot paths before anything is measured.
            measure("warm-up", http, targets, batch, Math.min(2_000, maxRequests), 3, 1);
            measure("warm-up", http, targets, single, Math.min(2_000, maxRequests), 3, 1);
            List<Result> results = List.of(
                    measure("batches of " + BATCH + " records", http, targets, batch, maxRequests, seconds, BATCH),
                    measure("single records, enforce: true", http, targets, single, maxRequests, seconds, 1));
            results.forEach(out::println);
        }
        return 0;
    }

    /** One user's usage endpoint and key. */
    private record Target(URI uri, String key) {
    }

    private Result measure(String name, HttpClient http, List<Target> targets, LongFunction<String> body,
                           int requests, int limitSeconds, int recordsPerRequest) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(limitSeconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Target target = targets.get(t % targets.size());
                workers.add(pool.submit(() -> {
                    while (next.getAndIncrement() < requests && System.nanoTime() < deadline) {
                        HttpRequest request = HttpRequest.newBuilder(target.uri())
                                .header("Authorization", "Bearer " + target.key())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.apply(sequence.getAndIncrement())))
                                .build();
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, response.statusCode() + " " + response.body());
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(name, done.get(), errors.get(), Duration.ofNanos(System.nanoTime() - started),
                recordsPerRequest, firstError.get());
    }

    private static String batchBody(String prefix) {
        StringBuilder body = new StringBuilder("{\"records\": [");
        for (int i = 0; i < BATCH; i++) {
            if (i > 0) {
                body.append(", ");
            }
            body.append("{\"metric\": \"bench.batch\", \"quantity\": 1, \"idempotency_key\": \"")
                    .append(prefix).append('-').append(i).append("\", \"dimensions\": {\"source\": \"bench\"}}");
        }
        return body.append("]}").toString();
    }
}
