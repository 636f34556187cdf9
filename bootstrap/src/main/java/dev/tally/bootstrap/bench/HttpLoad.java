package dev.tally.bootstrap.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * The load shapes of {@code tally bench} and the Java client that drives them over HTTP/1.1: a
 * fixed number of clients, each sending as one user, one request at a time, until a request or
 * time limit; every answer but {@code 200} counts as an error.
 */
final class HttpLoad {

    static final int BATCH = 100;

    private HttpLoad() {
    }

    /** One user, its usage endpoint and its key. */
    record Target(String user, URI uri, String key) {
    }

    /**
     * What is sent: {@code body} numbers each request ({@code null} for a {@code GET}); {@code mode}
     * names the same shape in docs/bench/tally.lua.
     */
    record Shape(String name, String mode, int recordsPerRequest, LongFunction<String> body, String path) {

        /** This shape under another name (the same requests, e.g. sent at a paced rate). */
        Shape named(String otherName) {
            return new Shape(otherName, mode, recordsPerRequest, body, path);
        }

        /** Single records with {@code "enforce": true}, keys {@code run-s<n>}. */
        static Shape single(String run) {
            return new Shape("POST …/usage, enforced single record", "single", 1,
                    n -> "{\"enforce\": true, \"records\": [{\"metric\": \"bench.enforced\","
                            + " \"quantity\": 1, \"idempotency_key\": \"" + run + "-s" + n + "\"}]}", "usage");
        }

        /** Batches of {@value #BATCH} records, keys {@code run-b<n>-<i>}. */
        static Shape batch(String run) {
            return new Shape("POST …/usage, batches of " + BATCH + " records", "batch", BATCH,
                    n -> batchBody(run + "-b" + n), "usage");
        }

        /** {@code GET} of the user's usage. */
        static Shape read() {
            return new Shape("GET …/usage", "read", 1, null, "usage");
        }

        /** {@code GET} of an entitlement check of 1 more of the enforced metric (R70): records nothing. */
        static Shape check() {
            return new Shape("GET …/entitlements/{metric}", "check", 1, null,
                    "entitlements/bench.enforced?quantity=1");
        }
    }

    /** What one phase measured; latencies in microseconds, -1 when not measured. */
    record Result(String name, long requests, long errors, Duration took, int recordsPerRequest, String firstError,
                  long p50Micros, long p99Micros) {
        double requestsPerSecond() {
            return requests * 1e9 / Math.max(1, took.toNanos());
        }

        @Override
        public String toString() {
            return String.format("%-40s %8d requests in %5.1f s = %8.0f requests/s (%9.0f records/s), %d errors",
                    name, requests, took.toMillis() / 1000.0, requestsPerSecond(),
                    requestsPerSecond() * recordsPerRequest, errors)
                    + (p50Micros < 0 ? "" : String.format(", p50 %.2f ms, p99 %.2f ms", p50Micros / 1000.0,
                    p99Micros / 1000.0))
                    + (firstError == null ? "" : System.lineSeparator() + "  first error: " + firstError);
        }
    }

    /**
     * Sends {@code shape} from {@code clients} threads, client {@code t} as {@code targets[t % size]},
     * until {@code maxRequests} were sent or {@code limit} passed.
     */
    static Result run(HttpClient http, List<Target> targets, Shape shape, int clients, long maxRequests,
                      Duration limit, AtomicLong sequence) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long deadline = System.nanoTime() + limit.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        List<long[]> latencies = new ArrayList<>();
        try {
            List<Future<long[]>> workers = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                Target target = targets.get(t % targets.size());
                workers.add(pool.submit(() -> {
                    long[] took = new long[1024];
                    int count = 0;
                    while (next.getAndIncrement() < maxRequests && System.nanoTime() < deadline) {
                        HttpRequest request = request(target, shape, sequence.getAndIncrement(), limit);
                        long sent = System.nanoTime();
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
                        if (count == took.length) {
                            took = Arrays.copyOf(took, count * 2);
                        }
                        took[count++] = System.nanoTime() - sent;
                    }
                    return Arrays.copyOf(took, count);
                }));
            }
            for (Future<long[]> worker : workers) {
                latencies.add(worker.get(limit.toSeconds() + 60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(shape.name(), all.length, errors.get(), Duration.ofNanos(System.nanoTime() - started),
                shape.recordsPerRequest(), firstError.get(), micros(all, 50), micros(all, 99));
    }

    private static HttpRequest request(Target target, Shape shape, long n, Duration limit) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.uri().resolve(shape.path()))
                .timeout(limit.plusSeconds(30))
                .header("Authorization", "Bearer " + target.key());
        if (shape.body() == null) {
            return request.GET().build();
        }
        return request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(shape.body().apply(n))).build();
    }

    /** The {@code p}th percentile of sorted nanoseconds {@code values} (nearest rank) in µs, -1 when none. */
    static long micros(long[] values, int p) {
        if (values.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * values.length);
        return values[Math.max(0, rank - 1)] / 1000;
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
