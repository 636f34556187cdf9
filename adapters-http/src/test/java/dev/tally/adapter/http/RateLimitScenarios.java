package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Plans' rate limits over HTTP (R90, R91): plans accept and show {@code rate_limits}, a write
 * beyond the rate is {@code 429 rate_limited} with {@code Retry-After} and its exact wait, checks
 * and enforced writes carry the {@code RateLimit-*} headers of the tightest rate, and bad rates
 * are a 4xx that stores nothing.
 */
public abstract class RateLimitScenarios extends ApiTestSupport {

    private static final String RATED = "{\"name\": \"Rated\", \"limits\": {\"calls\": 1000}, "
            + "\"rate_limits\": {\"calls\": {\"limit\": 2, \"per_seconds\": 60, \"burst\": 1}}}";

    private static String record(String metric, long quantity) {
        return "{\"records\": [{\"metric\": \"" + metric + "\", \"quantity\": " + quantity + ", \"idempotency_key\": \""
                + key() + "\"}], \"enforce\": true}";
    }

    private static List<String> fields(JsonNode node) {
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    @Test
    void R91_a_write_beyond_the_rate_is_429_with_retry_after_and_its_exact_wait() {
        assertOk(admin.put("/v1/plans/rated", RATED));
        ApiClient acme = user("acme", "rated");

        ApiClient.Response first = assertOk(acme.post("/v1/users/acme/usage", record("calls", 1)));
        assertThat(first.header("RateLimit-Limit")).isEqualTo("2");
        assertThat(first.header("RateLimit-Remaining")).isEqualTo("1");
        assertThat(first.header("RateLimit-Reset")).isEqualTo("30");
        ApiClient.Response second = assertOk(acme.post("/v1/users/acme/usage", record("calls", 1)));
        assertThat(second.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(second.header("RateLimit-Reset")).isEqualTo("60");

        ApiClient.Response third = acme.post("/v1/users/acme/usage", record("calls", 1));

        assertThat(third.status()).as(third.toString()).isEqualTo(429);
        assertThat(third.header("Retry-After")).isEqualTo("30");
        assertThat(third.header("RateLimit-Remaining")).isEqualTo("0");
        JsonNode body = third.json();
        assertThat(fields(body)).containsExactly("error", "message", "metric", "limit", "per_seconds", "burst",
                "retry_after_ms", "plan");
        assertThat(body.get("error").asText()).isEqualTo("rate_limited");
        assertThat(body.get("metric").asText()).isEqualTo("calls");
        assertThat(body.get("limit").asLong()).isEqualTo(2);
        assertThat(body.get("per_seconds").asInt()).isEqualTo(60);
        assertThat(body.get("retry_after_ms").asLong()).isEqualTo(30_000);
        assertThat(body.get("message").asText()).contains("calls").contains("30000 ms");
        assertThat(metric(acme.get("/v1/users/acme/usage").json(), "calls").get("used").decimalValue())
                .isEqualByComparingTo("2");

        clock.advance(Duration.ofSeconds(30));
        assertOk(acme.post("/v1/users/acme/usage", record("calls", 1)));
    }

    @Test
    void R91_an_unenforced_write_is_never_rate_limited() {
        assertOk(admin.put("/v1/plans/rated", RATED));
        ApiClient acme = user("acme", "rated");
        for (int i = 0; i < 4; i++) {
            assertOk(acme.post("/v1/users/acme/usage", "{\"records\": [{\"metric\": \"calls\", \"quantity\": 1, "
                    + "\"idempotency_key\": \"" + key() + "\"}]}"));
        }
        assertThat(metric(acme.get("/v1/users/acme/usage").json(), "calls").get("used").decimalValue())
                .isEqualByComparingTo("4");
    }

    @Test
    void R70_a_check_reports_the_rate_and_its_headers_and_records_nothing() {
        assertOk(admin.put("/v1/plans/rated", RATED));
        ApiClient acme = user("acme", "rated");
        assertOk(acme.post("/v1/users/acme/usage", record("calls", 2)));

        ApiClient.Response check = assertOk(acme.get("/v1/users/acme/entitlements/calls"));

        JsonNode rate = check.json().get("rate");
        assertThat(check.json().get("allowed").asBoolean()).isFalse();
        assertThat(check.json().get("denial").isNull()).isTrue();
        assertThat(rate.get("limit").asLong()).isEqualTo(2);
        assertThat(rate.get("per_seconds").asInt()).isEqualTo(60);
        assertThat(rate.get("burst").asLong()).isEqualTo(1);
        assertThat(rate.get("remaining").asLong()).isZero();
        assertThat(rate.get("reset_ms").asLong()).isEqualTo(60_000);
        assertThat(rate.get("allowed").asBoolean()).isFalse();
        assertThat(check.header("RateLimit-Limit")).isEqualTo("2");
        assertThat(check.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(check.header("RateLimit-Reset")).isEqualTo("60");

        clock.advance(Duration.ofSeconds(30));
        JsonNode later = assertOk(acme.get("/v1/users/acme/entitlements/calls")).json();
        assertThat(later.get("allowed").asBoolean()).isTrue();
        assertThat(later.get("rate").get("remaining").asLong()).isEqualTo(1);
        assertThat(later.get("used").decimalValue()).isEqualByComparingTo("2");
    }

    @Test
    void R90_plans_accept_and_show_rate_limits() {
        JsonNode put = assertOk(admin.put("/v1/plans/rated", RATED)).json().get("rate_limits");
        assertThat(put.get("calls").get("limit").asLong()).isEqualTo(2);
        assertThat(put.get("calls").get("per_seconds").asInt()).isEqualTo(60);
        assertThat(put.get("calls").get("burst").asLong()).isEqualTo(1);
        assertThat(admin.get("/v1/plans/rated").json().get("rate_limits")).isEqualTo(put);
        JsonNode noBurst = assertOk(admin.put("/v1/plans/plain", "{\"rate_limits\": {\"calls\": {\"limit\": 100, "
                + "\"per_seconds\": 86400}}}")).json().get("rate_limits");
        assertThat(noBurst.get("calls").get("burst").asLong()).isZero();
    }

    @Test
    void R90_bad_rates_are_400_invalid_rate_limit_and_store_nothing() {
        String[][] cases = {
                {"{\"calls\": {\"limit\": 10, \"per_seconds\": 0}}", "rate_limits.calls.per_seconds"},
                {"{\"calls\": {\"limit\": 10, \"per_seconds\": 86401}}", "rate_limits.calls.per_seconds"},
                {"{\"calls\": {\"limit\": 1.5, \"per_seconds\": 60}}", "rate_limits.calls.limit"},
                {"{\"calls\": {\"limit\": -1, \"per_seconds\": 60}}", "rate_limits.calls.limit"},
                {"{\"calls\": {\"limit\": \"ten\", \"per_seconds\": 60}}", "rate_limits.calls.limit"},
                {"{\"calls\": {\"limit\": 10, \"per_seconds\": 60, \"burst\": -1}}", "rate_limits.calls.burst"},
                {"{\"calls\": {\"limit\": 10, \"per_seconds\": 60, \"burst\": 0.5}}", "rate_limits.calls.burst"},
                {"{\"calls\": {\"per_seconds\": 60}}", "rate_limits.calls.limit"},
                {"{\"calls\": {\"limit\": 10, \"per_seconds\": 60, \"burts\": 1}}", "rate_limits.calls.burts"},
                {"{\"calls\": 10}", "rate_limits.calls"},
        };
        for (String[] bad : cases) {
            ApiClient.Response refused = admin.put("/v1/plans/bad", "{\"rate_limits\": " + bad[0] + "}");
            assertThat(refused.status()).as(bad[0] + " -> " + refused).isEqualTo(400);
            assertThat(refused.error()).as(bad[0]).isEqualTo("invalid_rate_limit");
            assertThat(refused.json().get("field").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
        ApiClient.Response allocation = admin.put("/v1/plans/bad", "{\"allocations\": {\"seats\": 5}, "
                + "\"rate_limits\": {\"seats\": {\"limit\": 1, \"per_seconds\": 60}}}");
        assertThat(allocation.status()).as(allocation.toString()).isEqualTo(400);
        assertThat(allocation.error()).isEqualTo("invalid_rate_limit");
        assertThat(admin.get("/v1/plans/bad").status()).isEqualTo(404);
    }
}
