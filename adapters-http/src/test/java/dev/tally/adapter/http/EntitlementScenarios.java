package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Entitlement checks over HTTP (R70): the shape clients rely on, agreement with the enforced
 * write, a refusal that explains itself as R12 does, and bad input as a 4xx.
 */
public abstract class EntitlementScenarios extends ApiTestSupport {

    private static List<String> fields(JsonNode node) {
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    private static String record(String metric, long quantity, boolean enforce) {
        return "{\"records\": [{\"metric\": \"" + metric + "\", \"quantity\": " + quantity + ", \"idempotency_key\": \""
                + key() + "\"}], \"enforce\": " + enforce + "}";
    }

    @Test
    void R70_a_check_answers_with_the_figures_it_used_and_records_nothing() {
        plan("pro", "{\"exports\": 10}");
        ApiClient acme = user("acme", "pro");
        assertOk(acme.post("/v1/users/acme/usage", record("exports", 7, false)));

        JsonNode check = assertOk(acme.get("/v1/users/acme/entitlements/exports?quantity=3")).json();

        assertThat(fields(check)).containsExactly("metric", "kind", "allowed", "requested", "used", "reserved",
                "limit", "remaining", "resets_at", "status", "denial", "source");
        assertThat(check.get("metric").asText()).isEqualTo("exports");
        assertThat(check.get("kind").asText()).isEqualTo("metered");
        assertThat(check.get("allowed").asBoolean()).isTrue();
        assertThat(check.get("requested").decimalValue()).isEqualByComparingTo("3");
        assertThat(check.get("used").decimalValue()).isEqualByComparingTo("7");
        assertThat(check.get("limit").decimalValue()).isEqualByComparingTo("10");
        assertThat(check.get("remaining").decimalValue()).isEqualByComparingTo("3");
        assertThat(check.get("resets_at").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(check.get("status").asText()).isEqualTo("ok");
        assertThat(check.get("denial").isNull()).isTrue();
        assertThat(metric(acme.get("/v1/users/acme/usage").json(), "exports").get("used").decimalValue())
                .isEqualByComparingTo("7");
    }

    @Test
    void R70_a_refused_check_carries_the_body_the_denied_write_gets() {
        plan("pro", "{\"exports\": 10}");
        ApiClient acme = user("acme", "pro");
        assertOk(acme.post("/v1/users/acme/usage", record("exports", 7, false)));

        JsonNode check = assertOk(acme.get("/v1/users/acme/entitlements/exports?quantity=4")).json();
        JsonNode denied = assertLimitExceeded(acme.post("/v1/users/acme/usage", record("exports", 4, true)), "exports");

        assertThat(check.get("allowed").asBoolean()).isFalse();
        assertThat(check.get("denial")).isEqualTo(denied);
    }

    @Test
    void R70_all_entitlements_list_every_metric_of_the_plan_for_one_more() {
        plan("pro", "{\"exports\": 2, \"runs\": 5, \"tokens\": \"unlimited\"}");
        ApiClient acme = user("acme", "pro");
        assertOk(acme.post("/v1/users/acme/usage", record("exports", 2, false)));

        JsonNode all = assertOk(acme.get("/v1/users/acme/entitlements")).json();

        assertThat(fields(all)).containsExactly("user_id", "plan_id", "entitlements", "features");
        assertThat(all.get("user_id").asText()).isEqualTo("acme");
        assertThat(all.get("plan_id").asText()).isEqualTo("pro");
        List<String> metrics = new ArrayList<>();
        List<Boolean> allowed = new ArrayList<>();
        all.get("entitlements").forEach(e -> {
            metrics.add(e.get("metric").asText());
            allowed.add(e.get("allowed").asBoolean());
        });
        assertThat(metrics).containsExactly("exports", "runs", "tokens");
        assertThat(allowed).containsExactly(false, true, true);
        assertThat(all.get("entitlements").get(2).get("limit").isNull()).isTrue();
    }

    @Test
    void R70_bad_checks_are_4xx_and_never_500() {
        plan("pro", "{\"runs\": 5}");
        ApiClient acme = user("acme", "pro");
        user("bob", "pro");

        for (String quantity : List.of("0", "-1", "abc", "1e-999999999", "1e3", "0.0000001")) {
            ApiClient.Response bad = acme.get("/v1/users/acme/entitlements/exports?quantity=" + quantity);
            assertThat(bad.status()).as(quantity).isEqualTo(400);
        }
        ApiClient.Response fraction = acme.get("/v1/users/acme/entitlements/runs?quantity=0.5");
        assertThat(fraction.status()).isEqualTo(400);
        assertThat(fraction.error()).isEqualTo("invalid_quantity");
        ApiClient.Response badMetric = acme.get("/v1/users/acme/entitlements/Not-A-Metric");
        assertThat(badMetric.status()).isEqualTo(400);
        assertThat(badMetric.error()).isEqualTo("invalid_metric");
        assertThat(acme.get("/v1/users/bob/entitlements/runs").status()).isEqualTo(404);
        assertThat(acme.get("/v1/users/bob/entitlements").status()).isEqualTo(404);
        assertThat(admin.get("/v1/users/ghost/entitlements").status()).isEqualTo(404);
    }
}
