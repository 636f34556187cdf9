package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.adapter.http.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * R73 with R13 across nodes: two API servers on one PostgreSQL schema take enforced writes from
 * 16 threads while a per-user override that lifts the limit expires. A write is judged by the
 * limit in force at its instant on the server: no more than the override's limit is ever granted,
 * nothing is granted once the override has expired and the plan's lower limit is used up, and
 * every node then shows the plan's limit with {@code source} {@code plan}.
 */
class TwoNodeOverrideExpiryTest {

    private static final int PLAN_LIMIT = 10;
    private static final int OVERRIDE_LIMIT = 40;
    private static final int REQUESTS = 120;

    @Test
    void R73_R13_two_nodes_racing_an_override_expiry_never_grant_beyond_the_limit_in_force() throws Exception {
        try (TwoNodes twoNodes = TwoNodes.onPostgres()) {
            List<ApiClient> nodes = twoNodes.nodes();
            ApiClient admin = twoNodes.admin();
            assertThat(admin.put("/v1/plans/capped", "{\"limits\": {\"exports\": " + PLAN_LIMIT + "}}").status())
                    .isEqualTo(200);
            assertThat(admin.put("/v1/users/acme", "{\"plan_id\": \"capped\"}").status()).isEqualTo(200);
            Instant expiry = Instant.now().plus(Duration.ofMillis(3000));
            assertThat(admin.put("/v1/users/acme/overrides", "{\"limits\": {\"exports\": " + OVERRIDE_LIMIT
                    + "}, \"expires_at\": \"" + expiry + "\"}").status()).isEqualTo(200);

            List<Instant> grantedAnsweredAt = race(nodes);
            while (Instant.now().isBefore(expiry.plusMillis(100))) {
                Thread.sleep(20);
            }
            int after = 0;
            for (int i = 0; i < 10; i++) {
                after += nodes.get(i % 2).post("/v1/users/acme/usage", write("late-" + i)).status() == 200 ? 1 : 0;
            }
            System.out.printf("PostgreSQL, two nodes, %d writes racing an override expiry: %d granted (override %d,"
                    + " plan %d), %d granted after it%n", REQUESTS, grantedAnsweredAt.size(), OVERRIDE_LIMIT,
                    PLAN_LIMIT, after);

            int granted = grantedAnsweredAt.size();
            assertThat(granted).as("never beyond the override's limit").isLessThanOrEqualTo(OVERRIDE_LIMIT);
            assertThat(granted).as("the plan's limit always had room").isGreaterThanOrEqualTo(PLAN_LIMIT);
            long grantedLate = grantedAnsweredAt.stream().filter(at -> at.isAfter(expiry.plusMillis(100))).count();
            assertThat(grantedLate).as("granted well after the expiry, with the plan's limit used up").isZero();
            assertThat(after).as("after the expiry only the plan's limit applies").isEqualTo(
                    Math.max(0, Math.min(10, PLAN_LIMIT - granted)));
            for (ApiClient node : nodes) {
                JsonNode exports = null;
                for (JsonNode metric : node.get("/v1/users/acme/billing").json().get("metrics")) {
                    exports = metric.get("metric").asText().equals("exports") ? metric : exports;
                }
                assertThat(exports.get("used").asInt()).isEqualTo(granted + after);
                assertThat(exports.get("limit").asInt()).isEqualTo(PLAN_LIMIT);
                assertThat(exports.get("source").asText()).isEqualTo("plan");
            }
        }
    }

    private static String write(String key) {
        return "{\"enforce\": true, \"records\": [{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \""
                + key + "\"}]}";
    }

    /** Sends the writes from 16 threads, alternating nodes, spread over the expiry; the instants granted ones came back. */
    private static List<Instant> race(List<ApiClient> nodes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Optional<Instant>>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    Thread.sleep(n * 40L);
                    int status = nodes.get(n % 2).post("/v1/users/acme/usage", write("race-" + n)).status();
                    assertThat(status).as("granted or denied, never anything else").isIn(200, 403);
                    return status == 200 ? Optional.of(Instant.now()) : Optional.<Instant>empty();
                }));
            }
            List<Instant> granted = new ArrayList<>();
            for (Future<Optional<Instant>> answer : answers) {
                answer.get().ifPresent(granted::add);
            }
            return granted;
        } finally {
            pool.shutdownNow();
        }
    }
}
