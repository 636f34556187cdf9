package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.adapter.http.ApiClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * R82 across nodes: two API servers on one PostgreSQL schema, 64 concurrent writers, every
 * aggregation at its limit: a unique-count limit of 10 over 40 distinct values grants exactly 10
 * distinct values and every repeat of them; count, max and latest never pass their limits.
 */
class TwoNodeMeterTest {

    private static final int WRITERS = 64;
    private static final java.util.concurrent.atomic.AtomicInteger RETRIED = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void R82_two_nodes_on_one_postgresql_enforce_every_aggregation_exactly() throws Exception {
        try (TwoNodes twoNodes = TwoNodes.onPostgres()) {
            List<ApiClient> nodes = twoNodes.nodes();
            ApiClient admin = twoNodes.admin();
            put(admin, "/v1/meters/active_users",
                    "{\"source\": \"events\", \"aggregation\": \"unique_count\", \"unique_dimension\": \"end_user\"}");
            put(admin, "/v1/meters/calls", "{\"source\": \"requests\", \"aggregation\": \"count\"}");
            put(admin, "/v1/meters/peak_gb", "{\"source\": \"storage\", \"aggregation\": \"max\"}");
            put(admin, "/v1/meters/current_gb", "{\"source\": \"gauge\", \"aggregation\": \"latest\"}");
            put(admin, "/v1/plans/capped", "{\"limits\": {\"active_users\": 10, \"calls\": 20, \"peak_gb\": 50,"
                    + " \"current_gb\": 50}}");
            put(admin, "/v1/users/acme", "{\"plan_id\": \"capped\"}");

            // 40 distinct end users, each sent 4 times: 160 writes.
            List<Integer> unique = send(nodes, 160, i -> record("events", 1, "{\"end_user\": \"e" + (i % 40) + "\"}",
                    "u-" + i));
            Set<Integer> acceptedUsers = new HashSet<>();
            for (int i = 0; i < unique.size(); i++) {
                if (unique.get(i) == 200) {
                    acceptedUsers.add(i % 40);
                }
            }
            for (int i = 0; i < unique.size(); i++) {
                assertThat(unique.get(i) == 200).as("write %d of end user e%d", i, i % 40)
                        .isEqualTo(acceptedUsers.contains(i % 40));
            }
            int calls = granted(send(nodes, 80, i -> record("requests", 1, "{}", "c-" + i)));
            List<Integer> peak = send(nodes, 80, i -> record("storage", i + 1, "{}", "p-" + i));
            List<Integer> latest = send(nodes, 80, i -> record("gauge", i + 1, "{}", "l-" + i));
            System.out.printf("PostgreSQL, two nodes, %d writers: distinct end users granted %d of 40, calls granted"
                    + " %d of 80 (limit 20), storage records granted %d of 80 (max 50); %d answers 503 retried%n",
                    WRITERS, acceptedUsers.size(), calls, granted(peak), RETRIED.get());

            assertThat(acceptedUsers).hasSize(10);
            assertThat(calls).isEqualTo(20);
            for (int i = 0; i < peak.size(); i++) {
                assertThat(peak.get(i)).as("max: quantity %d", i + 1).isEqualTo(i + 1 <= 50 ? 200 : 403);
            }
            for (ApiClient node : nodes) {
                assertThat(value(node, "active_users")).isEqualTo(10);
                assertThat(value(node, "calls")).isEqualTo(20);
                assertThat(value(node, "peak_gb")).isEqualTo(50);
                assertThat(value(node, "current_gb")).isBetween(1, 50);
            }
            assertThat(latest.stream().filter(status -> status != 200 && status != 403)).isEmpty();
        }
    }

    private static void put(ApiClient admin, String path, String body) {
        ApiClient.Response response = admin.put(path, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private static String record(String metric, int quantity, String dimensions, String key) {
        return "{\"enforce\": true, \"records\": [{\"metric\": \"" + metric + "\", \"quantity\": " + quantity
                + ", \"idempotency_key\": \"" + key + "\", \"dimensions\": " + dimensions + "}]}";
    }

    private static int value(ApiClient node, String meter) {
        return node.get("/v1/users/acme/meters/" + meter).json().get("value").asInt();
    }

    private static int granted(List<Integer> statuses) {
        return (int) statuses.stream().filter(status -> status == 200).count();
    }

    /** Sends {@code requests} writes, alternating nodes, from 64 threads; their statuses in order. */
    private static List<Integer> send(List<ApiClient> nodes, int requests, IntFunction<String> body)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    // A 503 (storage busy, R66) is retried with the same key, as a client does.
                    int status;
                    int attempt = 0;
                    do {
                        status = nodes.get((n + attempt) % 2).post("/v1/users/acme/usage", body.apply(n)).status();
                        if (status == 503) {
                            RETRIED.incrementAndGet();
                            Thread.sleep(20);
                        }
                    } while (status == 503 && ++attempt < 50);
                    return status;
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                assertThat(status).as("granted or denied, never anything else").isIn(200, 403);
                statuses.add(status);
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
