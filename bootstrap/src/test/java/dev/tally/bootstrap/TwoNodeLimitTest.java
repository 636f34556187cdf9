package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.adapter.http.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * R13 across nodes: two API servers, each with its own connection pool, on one PostgreSQL
 * schema, are hammered concurrently at a limit; exactly the limit is granted across both, and the
 * runs reserved, the seats allocated (R72) and the tokens held (R71) across both never exceed their limits.
 */
class TwoNodeLimitTest {

    private static final int LIMIT = 25;
    private static final int REQUESTS = 80;

    @Test
    void R13_two_nodes_on_one_postgresql_grant_exactly_the_limit() throws Exception {
        try (TwoNodes twoNodes = TwoNodes.onPostgres()) {
            assertThat(twoNodes.second().ensureAdminKey(Optional.empty())).as("the second node sees the first's key")
                    .isEmpty();
            List<ApiClient> nodes = twoNodes.nodes();
            ApiClient admin = twoNodes.admin();
            assertThat(admin.put("/v1/plans/capped", "{\"limits\": {\"exports\": " + LIMIT + ", \"runs\": " + LIMIT
                    + ", \"tokens\": " + LIMIT + "}, \"allocations\": {\"seats\": " + LIMIT + "}}").status()).isEqualTo(200);
            assertThat(admin.put("/v1/users/acme", "{\"plan_id\": \"capped\"}").status()).isEqualTo(200);

            int exports = count(nodes, i -> "/v1/users/acme/usage",
                    i -> "{\"enforce\": true, \"records\": [{\"metric\": \"exports\", \"quantity\": 1,"
                            + " \"idempotency_key\": \"n-" + i + "\"}]}", 200);
            int runs = count(nodes, i -> "/v1/users/acme/report-runs", i -> "{}", 201);
            int seats = count(nodes, i -> "/v1/users/acme/allocations/seats", i -> "{\"delta\": 1}", 200);
            int holds = count(nodes, i -> "/v1/users/acme/reservations",
                    i -> "{\"metric\": \"tokens\", \"quantity\": 1}", 201);
            System.out.printf("PostgreSQL, two nodes, %d concurrent requests each: exports granted %d, runs started %d,"
                    + " seats allocated %d, tokens held %d, limit %d%n", REQUESTS, exports, runs, seats, holds,
                    LIMIT);

            assertThat(exports).isEqualTo(LIMIT);
            assertThat(runs).isEqualTo(LIMIT);
            assertThat(seats).isEqualTo(LIMIT);
            assertThat(holds).isEqualTo(LIMIT);
            assertThat(nodes.get(1).get("/v1/users/acme/allocations").json().get("allocations").get(0).get("value")
                    .asInt()).isEqualTo(LIMIT);
            for (ApiClient node : nodes) {
                var usage = node.get("/v1/users/acme/usage").json().get("metrics");
                assertThat(usage.toString()).contains("\"metric\":\"exports\",\"used\":" + LIMIT);
            }
        }
    }

    /** Sends {@code REQUESTS} requests, alternating nodes, from 16 threads; counts those answered {@code ok}. */
    private static int count(List<ApiClient> nodes, java.util.function.IntFunction<String> path,
                             java.util.function.IntFunction<String> body, int ok) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int n = i;
                answers.add(pool.submit(() -> nodes.get(n % 2).post(path.apply(n), body.apply(n)).status()));
            }
            int granted = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                assertThat(status).as("granted or denied, never anything else").isIn(ok, 403);
                granted += status == ok ? 1 : 0;
            }
            return granted;
        } finally {
            pool.shutdownNow();
        }
    }
}
