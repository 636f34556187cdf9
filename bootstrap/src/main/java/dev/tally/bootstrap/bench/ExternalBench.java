package dev.tally.bootstrap.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tally bench --url}: against a server already running on this machine, sets up a plan
 * and users through the admin API, then measures enforced single records, batches and reads, each
 * after a warm-up, with {@code wrk} when it is installed (else the Java client), and, given a
 * PostgreSQL URL, {@code pgbench} running Tally's own decision transaction at the same concurrency.
 */
final class ExternalBench {

    private static final Pattern CREATED_KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");

    /** How a run is set up; {@code pgbench} is empty when there is no PostgreSQL URL to compare with. */
    record Settings(URI base, String adminKey, int connections, int users, int seconds, int warmupSeconds,
                    long maxRequests, boolean useWrk, Optional<PgBench.Target> pgbench) {
    }

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
        out.printf("Benchmarking %s with %s: %d connections over %d users, %d s warm-up and %d s per phase%n",
                settings.base(), settings.useWrk() ? "wrk" : "the Java client", settings.connections(),
                settings.users(), settings.warmupSeconds(), settings.seconds());
        out.flush();
        try (BenchScripts scripts = BenchScripts.extract()) {
            return run(scripts, targets);
        }
    }

    private long run(BenchScripts scripts, List<HttpLoad.Target> targets) throws Exception {
        List<HttpLoad.Result> results = new ArrayList<>();
        for (HttpLoad.Shape shape : List.of(HttpLoad.Shape.single(run), HttpLoad.Shape.batch(run),
                HttpLoad.Shape.read(), HttpLoad.Shape.check())) {
            if (settings.warmupSeconds() > 0) {
                measure(scripts, targets, shape, settings.warmupSeconds(), "w", 0);
            }
            HttpLoad.Result result = measure(scripts, targets, shape, settings.seconds(), "m", 0);
            out.println(result);
            out.flush();
            results.add(result);
            if (shape.mode().equals("single") && settings.useWrk()) {
                // Latency as a client sees it on a busy day rather than at saturation.
                HttpLoad.Result half = measure(scripts, targets, shape.named(shape.name() + ", paced at half that"),
                        settings.seconds(), "h", result.requestsPerSecond() / 2);
                out.println(half);
                out.flush();
                results.add(half);
            }
        }
        List<PgBench.Result> database = new ArrayList<>();
        if (settings.pgbench().isPresent()) {
            database.addAll(PgBench.run(scripts, host, settings.pgbench().get(), settings.connections(),
                    settings.users(), settings.seconds()));
            database.forEach(out::println);
        }
        out.println();
        printTable(results, database);
        out.flush();
        return results.stream().mapToLong(HttpLoad.Result::errors).sum();
    }

    private HttpLoad.Result measure(BenchScripts scripts, List<HttpLoad.Target> targets, HttpLoad.Shape shape,
                                    int seconds, String phase, double rate) throws Exception {
        if (settings.useWrk()) {
            return WrkLoad.run(scripts, settings.base(), targets, shape, settings.connections(), seconds,
                    run + "-" + phase, rate);
        }
        return HttpLoad.run(http, targets, shape, settings.connections(), settings.maxRequests(),
                Duration.ofSeconds(seconds), sequence);
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

    private void printTable(List<HttpLoad.Result> http, List<PgBench.Result> database) {
        out.println("| measure | per second | p50 ms | p99 ms | errors |");
        out.println("|---|---:|---:|---:|---:|");
        for (HttpLoad.Result result : http) {
            String rate = result.recordsPerRequest() > 1
                    ? String.format("%,.0f records (%,.0f requests)",
                    result.requestsPerSecond() * result.recordsPerRequest(), result.requestsPerSecond())
                    : String.format("%,.0f", result.requestsPerSecond());
            out.printf("| %s | %s | %.2f | %.2f | %d |%n", result.name(), rate, result.p50Micros() / 1000.0,
                    result.p99Micros() / 1000.0, result.errors());
        }
        for (PgBench.Result result : database) {
            out.printf("| %s | %,.0f transactions | %.2f (mean) | — | — |%n", result.name(), result.tps(),
                    result.meanLatencyMillis());
        }
        if (!database.isEmpty()) {
            out.printf("%nTally's enforced decisions ÷ pgbench's: %.2f (writes only), %.2f (with the reads);"
                            + " a like-for-like figure when the server stores in that PostgreSQL%n",
                    http.get(0).requestsPerSecond() / database.get(0).tps(),
                    http.get(0).requestsPerSecond() / database.get(1).tps());
        }
    }
}
