package dev.tally.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.port.ReconcileProgress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mixed write load for the fault tests, each write carrying an idempotency key (R20): enforced
 * usage records, credit grants and run starts, for one user. It remembers what the server
 * acknowledged and checks the database against it: every acknowledged write stored exactly once.
 */
final class MixedWrites {

    static final String USER = "acme";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What a write creates. */
    enum Kind { USAGE, GRANT, RUN }

    /** One write; sending it again sends the same body under the same key. */
    record Write(Kind kind, String key, String body) {

        String path() {
            return switch (kind) {
                case USAGE -> "/v1/users/" + USER + "/usage";
                case GRANT -> "/v1/users/" + USER + "/credits/grants";
                case RUN -> "/v1/users/" + USER + "/report-runs";
            };
        }
    }

    /** An answer: its status, body and {@code Retry-After} header (empty when absent). */
    record Answer(int status, String body, String retryAfter) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        String error() {
            try {
                return JSON.readTree(body).path("error").asText();
            } catch (IOException e) {
                return "not JSON: " + body;
            }
        }
    }

    /** How the answers to a load went, counted as they come in from any thread. */
    static final class Tally {

        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicInteger sentAgain = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger serverErrors = new AtomicInteger();
        /** Every answer that is neither 2xx nor one a client is told to retry. */
        final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

        /**
         * Counts the answer to {@code write}; returns whether it was acknowledged. A 503
         * {@code storage_unavailable} with {@code Retry-After} and a 409 {@code idempotency_in_flight}
         * ask for a retry with the same key; anything else is unexpected.
         */
        boolean count(Write write, Answer answer, boolean again) {
            requests.incrementAndGet();
            sentAgain.addAndGet(again ? 1 : 0);
            if (answer.ok()) {
                acknowledged.incrementAndGet();
            } else if (answer.status() == 503 && answer.error().equals("storage_unavailable")
                    && !answer.retryAfter().isEmpty()) {
                unavailable.incrementAndGet();
            } else if (answer.status() == 409 && answer.error().equals("idempotency_in_flight")) {
                inFlight.incrementAndGet();
            } else {
                serverErrors.addAndGet(answer.status() >= 500 && answer.status() != 503 ? 1 : 0);
                unexpected.add(write.kind() + " " + write.key() + ": " + answer);
            }
            return answer.ok();
        }

        @Override
        public String toString() {
            return String.format("%d requests, %d answered 2xx, %d answered 503, %d answered 409 in flight,"
                            + " %d sent again, %d answered 500 or another 5xx", requests.get(), acknowledged.get(),
                    unavailable.get(), inFlight.get(), sentAgain.get(), serverErrors.get());
        }
    }

    /** What the database holds against what was acknowledged. */
    record Figures(int acknowledged, int lost, int duplicated, int drifted, List<String> anomalies) {
    }

    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();
    /** Every acknowledged write and what identifies it in the database: the key, or the created id. */
    private final Map<Write, String> acknowledged = new ConcurrentHashMap<>();

    MixedWrites(String prefix) {
        this.prefix = prefix;
    }

    /** Creates a plan with room for every write and the user they go to. */
    static void setUp(int port, String adminKey) throws IOException {
        for (Answer answer : List.of(
                send(port, adminKey, "PUT", "/v1/plans/roomy",
                        "{\"name\": \"roomy\", \"limits\": {\"events\": 100000000, \"runs\": 100000000}}", null),
                send(port, adminKey, "PUT", "/v1/users/" + USER, "{\"plan_id\": \"roomy\"}", null))) {
            if (!answer.ok()) {
                throw new IllegalStateException("setting up failed: " + answer);
            }
        }
    }

    /** A new write, the kinds taking turns. */
    Write next() {
        int n = next.getAndIncrement();
        Kind kind = Kind.values()[n % Kind.values().length];
        String key = prefix + "-" + n;
        String body = switch (kind) {
            // occurred_at is explicit so that the retried body is the very same request.
            case USAGE -> "{\"enforce\": true, \"records\": [{\"metric\": \"events\", \"quantity\": 1,"
                    + " \"idempotency_key\": \"" + key + "\", \"occurred_at\": \""
                    + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\"}]}";
            case GRANT -> "{\"amount\": 1}";
            case RUN -> "{}";
        };
        return new Write(kind, key, body);
    }

    /** Sends {@code write}; an I/O failure (the server died, or was never there) is thrown. */
    Answer send(int port, String adminKey, Write write) throws IOException {
        Answer answer = send(port, adminKey, "POST", write.path(), write.body(),
                write.kind() == Kind.USAGE ? null : write.key());
        if (answer.ok()) {
            acknowledged.put(write, switch (write.kind()) {
                case USAGE -> write.key();
                case GRANT, RUN -> JSON.readTree(answer.body()).get("id").asText();
            });
        }
        return answer;
    }

    int created() {
        return next.get();
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /**
     * Checks the database at {@code dbUrl} (no server may be writing to it): every acknowledged
     * write present exactly once, nothing stored that was not acknowledged, and no rollup drift.
     */
    Figures verify(String dbUrl) {
        try (JdbcStorage storage = JdbcStorage.open(dbUrl, 2)) {
            Map<Kind, List<String>> stored = new HashMap<>();
            stored.put(Kind.USAGE, ids(storage, "SELECT idempotency_key FROM usage_facts WHERE user_id = :user"));
            stored.put(Kind.GRANT, ids(storage,
                    "SELECT id FROM credit_transactions WHERE user_id = :user AND entry_type = 'grant'"));
            stored.put(Kind.RUN, ids(storage, "SELECT id FROM report_runs WHERE user_id = :user"));
            List<String> rows = stored.values().stream().flatMap(List::stream).toList();
            Set<String> present = new HashSet<>(rows);
            List<String> anomalies = new ArrayList<>();
            acknowledged.forEach((write, id) -> {
                if (!present.contains(id)) {
                    anomalies.add("lost: " + write.kind() + " " + write.key() + " " + id);
                }
            });
            int lost = anomalies.size();
            // Every write is retried until acknowledged, so one row per acknowledged write, no more:
            // a row too many is a write counted twice (a retry that ran the work again).
            int duplicated = rows.size() - (acknowledged.size() - lost);
            var drifts = storage.ports().usage().reconcile(false, ReconcileProgress.NONE).drifts();
            drifts.forEach(drift -> anomalies.add("drift: " + drift));
            return new Figures(acknowledged.size(), lost, duplicated, drifts.size(), anomalies);
        }
    }

    private static List<String> ids(JdbcStorage storage, String sql) {
        return new ArrayList<>(storage.jdbi().withHandle(handle -> handle.createQuery(sql).bind("user", USER)
                .mapTo(String.class).list()));
    }

    private static Answer send(int port, String adminKey, String method, String path, String body,
                               String idempotencyKey) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After").orElse(""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
