package dev.tally.bootstrap.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code tally bench --url}: against a server already running on this machine, sets up a plan
 * and users through the admin API, warms the server with unrecorded enforced single records, then
 * at each connection count measures enforced single records, batches and reads, each after a short
 * warm-up, with {@code wrk} when it is installed (else the Java client), and, given a PostgreSQL
 * URL, {@code pgbench} running Tally's own decision transactions, single and grouped, at the same
 * concurrency.
 */
final class ExternalBench {

    private static final Pattern CREATED_KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * How a run is set up: every phase runs at each of {@code connections}; {@code pgbench} is
     * empty when there is no PostgreSQL URL to compare with; {@code serverWarmupSeconds} of load
     * precede the first phase; {@code pgbenchGroup} decisions make one grouped pgbench transaction.
     */
    record Settings(URI base, String adminKey, List<Integer> connections, int users, int seconds, int warmupSeconds,
                    long maxRequests, boolean useWrk, Optional<PgBench.Target> pgbench, int serverWarmupSeconds,
                    int pgbenchGroup) {
        Settings {
            connections = List.copyOf(connections);
        }
    }

    /** What one connection count measured: the HTTP phases, and pgbench's runs (none without a URL). */
    private record Round(int connections, List<HttpLoad.Result> http, List<PgBench.Result> database) {
    }

    /** The longest single wrk or Java-client run of the server warm-up: its last one gives the rate at the end. */
    private static final int WARMUP_STEP_SECONDS = 10;

    private final Settings settings;
    private final PrintWriter out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong sequence = new AtomicLong();
    private final BenchHost host;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    ExternalBench(Settings settings, BenchHost host, PrintWriter out) {
        this.settings = settings;
        this.host = host;
        this.out = out;
    }

    /** Runs every phase and prints the table; returns the number of failed requests. */
    long run() throws Exception {
        LocalProcess.requireLoopback(settings.base().getHost());
        List<HttpLoad.Target> targets = setUp();
        out.printf("Benchmarking %s with %s: %s connections over %d users, %d s server warm-up, then %d s warm-up"
                        + " and %d s per phase%n", settings.base(), settings.useWrk() ? "wrk" : "the Java client",
                settings.connections().stream().map(String::valueOf).collect(Collectors.joining(", ")),
                settings.users(), settings.serverWarmupSeconds(), settings.warmupSeconds(), settings.seconds());
        out.flush();
        try (BenchScripts scripts = BenchScripts.extract()) {
            warmServer(scripts, targets);
            List<Round> rounds = new ArrayList<>();
            for (int connections : settings.connections()) {
                rounds.add(round(scripts, targets, connections));
            }
            out.println();
            printTable(rounds);
            out.flush();
            return rounds.stream().flatMap(round -> round.http().stream()).mapToLong(HttpLoad.Result::errors).sum();
        }
    }

    /**
     * Unrecorded enforced single records at full load, at the most connections measured, so that
     * the JIT has compiled the server's hot paths before anything is measured; run in steps, the
     * last of which tells the rate the server had reached.
     */
    private void warmServer(BenchScripts scripts, List<HttpLoad.Target> targets) throws Exception {
        int total = settings.serverWarmupSeconds();
        if (total == 0) {
            return;
        }
        int connections = Collections.max(settings.connections());
        HttpLoad.Shape shape = HttpLoad.Shape.single(run + "-warm");
        HttpLoad.Result last = null;
        long errors = 0;
        for (int done = 0, step = 0; done < total; step++) {
            int seconds = Math.min(WARMUP_STEP_SECONDS, total - done);
            last = measure(scripts, targets, shape, seconds, "sw" + step, 0, connections);
            errors += last.errors();
            done += seconds;
        }
        out.printf("warmed the server for %d s at %d connections (enforced single records, %,.0f requests/s at"
                + " the end, %d errors)%n", total, connections, last.requestsPerSecond(), errors);
        out.flush();
    }

    private Round round(BenchScripts scripts, List<HttpLoad.Target> targets, int connections) throws Exception {
        out.printf("%d connections:%n", connections);
        List<HttpLoad.Result> results = new ArrayList<>();
        for (HttpLoad.Shape shape : List.of(HttpLoad.Shape.single(run), HttpLoad.Shape.batch(run),
                HttpLoad.Shape.read(), HttpLoad.Shape.check())) {
            if (settings.warmupSeconds() > 0) {
                measure(scripts, targets, shape, settings.warmupSeconds(), "w" + connections, 0, connections);
            }
            HttpLoad.Result result = measure(scripts, targets, shape, settings.seconds(), "m" + connections, 0,
                    connections);
            out.println(result);
            out.flush();
            results.add(result);
            if (shape.mode().equals("single") && settings.useWrk()) {
                // Latency as a client sees it on a busy day rather than at saturation.
                HttpLoad.Result half = measure(scripts, targets, shape.named(shape.name() + ", paced at half that"),
                        settings.seconds(), "h" + connections, result.requestsPerSecond() / 2, connections);
                out.println(half);
                out.flush();
                results.add(half);
            }
        }
        List<PgBench.Result> database = new ArrayList<>();
        if (settings.pgbench().isPresent()) {
            database.addAll(PgBench.run(scripts, host, settings.pgbench().get(), connections, settings.users(),
                    settings.seconds(), settings.pgbenchGroup()));
            database.forEach(out::println);
            out.flush();
        }
        return new Round(connections, results, database);
    }

    private HttpLoad.Result measure(BenchScripts scripts, List<HttpLoad.Target> targets, HttpLoad.Shape shape,
                                    int seconds, String phase, double rate, int connections) throws Exception {
        if (settings.useWrk()) {
            return WrkLoad.run(scripts, settings.base(), targets, shape, connections, seconds, run + "-" + phase, rate);
        }
        return HttpLoad.run(http, targets, shape, connections, settings.maxRequests(), Duration.ofSeconds(seconds),
                sequence);
    }

    /** A plan with a limit no run reaches, and the users, each with its own key, through the admin API. */
    private List<HttpLoad.Target> setUp() throws IOException, InterruptedException {
        String plan = "bench-" + run;
        admin("PUT", "/v1/plans/" + plan, "{\"name\": \"Bench\", \"limits\": {\"bench.enforced\": 1000000000000}}");
        List<HttpLoad.Target> targets = new ArrayList<>();
        for (int u = 0; u < settings.users(); u++) {
            String user = "bench-" + run + "-" + u;
            admin("PUT", "/v1/users/" + user, "{\"plan_id\": \"" + plan + "\"}");
            Matcher key = CREATED_KEY.matcher(admin("POST", "/v1/users/" + user + "/api-keys", ""));
            if (!key.find()) {
                throw new IOException("the server created no key for " + user);
            }
            targets.add(new HttpLoad.Target(user, settings.base().resolve("/v1/users/" + user + "/usage"),
                    key.group(1)));
        }
        return targets;
    }

    private String admin(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(settings.base().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + settings.adminKey())
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void printTable(List<Round> rounds) {
        out.println("| connections | measure | per second | p50 ms | p99 ms | errors |");
        out.println("|---:|---|---:|---:|---:|---:|");
        for (Round round : rounds) {
            for (HttpLoad.Result result : round.http()) {
                String rate = result.recordsPerRequest() > 1
                        ? String.format("%,.0f records (%,.0f requests)",
                        result.requestsPerSecond() * result.recordsPerRequest(), result.requestsPerSecond())
                        : String.format("%,.0f", result.requestsPerSecond());
                out.printf("| %d | %s | %s | %.2f | %.2f | %d |%n", round.connections(), result.name(), rate,
                        result.p50Micros() / 1000.0, result.p99Micros() / 1000.0, result.errors());
            }
            for (PgBench.Result result : round.database()) {
                String rate = result.decisionsPerTransaction() > 1
                        ? String.format("%,.0f decisions (%,.0f transactions)", result.decisionsPerSecond(),
                        result.tps())
                        : String.format("%,.0f transactions", result.tps());
                out.printf("| %d | %s | %s | %.2f (mean) | — | — |%n", round.connections(), result.name(), rate,
                        result.meanLatencyMillis());
            }
        }
        if (rounds.stream().anyMatch(round -> !round.database().isEmpty())) {
            out.println();
            for (Round round : rounds) {
                double tally = round.http().get(0).requestsPerSecond();
                List<PgBench.Result> database = round.database();
                out.printf("At %d connections, Tally's enforced decisions ÷ pgbench's: %.2f (writes only), %.2f (with"
                                + " the reads); ÷ pgbench grouped decisions (%d a commit): %.2f%n", round.connections(),
                        tally / database.get(0).decisionsPerSecond(), tally / database.get(1).decisionsPerSecond(),
                        database.get(2).decisionsPerTransaction(), tally / database.get(2).decisionsPerSecond());
            }
            out.println("Like-for-like figures when the server stores in that PostgreSQL.");
        }
    }
}
