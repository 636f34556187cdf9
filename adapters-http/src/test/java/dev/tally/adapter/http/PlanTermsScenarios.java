package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Plans for real customers over HTTP (R73): features on plans and in entitlement checks, per-user
 * overrides that lift a limit and say so ({@code source}), scheduled plan changes pending in the
 * billing overview, and bad input as a clear 4xx with nothing stored.
 */
public abstract class PlanTermsScenarios extends ApiTestSupport {

    private static String record(String metric, long quantity) {
        return "{\"records\": [{\"metric\": \"" + metric + "\", \"quantity\": " + quantity + ", \"idempotency_key\": \""
                + key() + "\"}], \"enforce\": true}";
    }

    private void enterprisePlans() {
        assertOk(admin.put("/v1/plans/pro", "{\"name\": \"Pro\", \"limits\": {\"exports\": 1000}, "
                + "\"allocations\": {\"seats\": 5}, \"features\": {\"sso\": false, \"retention_days\": 30, "
                + "\"support_tier\": \"standard\"}}"));
        assertOk(admin.put("/v1/plans/free", "{\"name\": \"Free\", \"limits\": {\"exports\": 10}}"));
    }

    @Test
    void R73_plans_carry_boolean_and_config_features_answered_by_entitlement_checks() {
        enterprisePlans();
        ApiClient acme = user("acme", "pro");

        JsonNode plan = assertOk(admin.get("/v1/plans/pro")).json();
        JsonNode sso = assertOk(acme.get("/v1/users/acme/entitlements/sso")).json();
        JsonNode retention = assertOk(acme.get("/v1/users/acme/entitlements/retention_days")).json();
        JsonNode all = assertOk(acme.get("/v1/users/acme/entitlements")).json();

        assertThat(plan.get("features").toString()).isEqualTo(
                "{\"sso\":false,\"retention_days\":30,\"support_tier\":\"standard\"}");
        assertThat(sso.toString()).isEqualTo("{\"feature\":\"sso\",\"kind\":\"boolean\",\"enabled\":false,"
                + "\"source\":\"plan\"}");
        assertThat(retention.toString()).isEqualTo("{\"feature\":\"retention_days\",\"kind\":\"config\","
                + "\"value\":30,\"source\":\"plan\"}");
        assertThat(all.get("features").size()).isEqualTo(3);
        assertThat(all.get("features").get(2).toString()).isEqualTo("{\"feature\":\"support_tier\","
                + "\"kind\":\"config\",\"value\":\"standard\",\"source\":\"plan\"}");
    }

    @Test
    void R73_an_override_lifts_a_limit_turns_a_feature_on_and_every_answer_says_its_source() {
        enterprisePlans();
        ApiClient acme = user("acme", "pro");

        JsonNode put = assertOk(admin.put("/v1/users/acme/overrides", "{\"limits\": {\"exports\": 5000}, "
                + "\"allocations\": {\"seats\": 50}, \"features\": {\"sso\": true}}")).json();

        assertThat(put.get("limits").toString()).isEqualTo("{\"exports\":5000}");
        assertThat(put.get("active").asBoolean()).isTrue();
        assertOk(acme.post("/v1/users/acme/usage", record("exports", 4000)));
        JsonNode billing = assertOk(acme.get("/v1/users/acme/billing")).json();
        assertThat(metric(billing, "exports").get("limit").decimalValue()).isEqualByComparingTo("5000");
        assertThat(metric(billing, "exports").get("source").asText()).isEqualTo("override");
        assertThat(billing.get("allocations").get(0).get("source").asText()).isEqualTo("override");
        JsonNode check = assertOk(acme.get("/v1/users/acme/entitlements/exports?quantity=1000")).json();
        assertThat(check.get("allowed").asBoolean()).isTrue();
        assertThat(check.get("source").asText()).isEqualTo("override");
        JsonNode sso = assertOk(acme.get("/v1/users/acme/entitlements/sso")).json();
        assertThat(sso.get("enabled").asBoolean()).isTrue();
        assertThat(sso.get("source").asText()).isEqualTo("override");
        assertThat(assertOk(acme.get("/v1/users/acme/entitlements/retention_days")).json().get("source").asText())
                .isEqualTo("plan");
        JsonNode listed = null;
        for (JsonNode standing : assertOk(admin.get("/v1/users")).json().get("users")) {
            listed = standing.get("user_id").asText().equals("acme") ? standing : listed;
        }
        assertThat(listed).as("acme in the operator's list").isNotNull();
        assertThat(listed.get("worst").get("limit").decimalValue()).isEqualByComparingTo("5000");
        assertThat(listed.get("worst").get("source").asText()).isEqualTo("override");
        assertLimitExceeded(acme.post("/v1/users/acme/usage", record("exports", 1001)), "exports");
    }

    @Test
    void R73_R90_an_override_lifts_a_rate_limit_and_sets_the_credits_every_period() {
        assertOk(admin.put("/v1/plans/pro", "{\"name\": \"Pro\", \"limits\": {\"exports\": 1000}, "
                + "\"rate_limits\": {\"exports\": {\"limit\": 1, \"per_seconds\": 60}}}"));
        ApiClient acme = user("acme", "pro");
        assertOk(acme.post("/v1/users/acme/usage", record("exports", 1)));
        assertThat(acme.post("/v1/users/acme/usage", record("exports", 1)).status()).isEqualTo(429);

        JsonNode put = assertOk(admin.put("/v1/users/acme/overrides", "{\"rate_limits\": {\"exports\": "
                + "{\"limit\": 100, \"per_seconds\": 60, \"burst\": 200}}, \"credits_per_period\": "
                + "{\"amount\": 500, \"rollover\": \"all\"}}")).json();

        assertThat(put.get("rate_limits").get("exports").get("limit").asLong()).isEqualTo(100);
        assertThat(put.get("credits_per_period").get("amount").asLong()).isEqualTo(500);
        assertOk(acme.post("/v1/users/acme/usage", record("exports", 1)));
        JsonNode check = assertOk(acme.get("/v1/users/acme/entitlements/exports")).json();
        assertThat(check.get("rate").get("limit").asLong()).isEqualTo(100);
        assertThat(assertOk(admin.get("/v1/users/acme/overrides")).json().get("rate_limits").get("exports")
                .get("burst").asLong()).isEqualTo(200);
        assertError(admin.put("/v1/users/acme/overrides", "{\"rate_limits\": {\"exports\": {\"limit\": 1, "
                + "\"per_seconds\": 0}}}"), 400, "invalid_rate_limit");
        assertThat(assertOk(admin.get("/v1/users/acme/overrides")).json().get("rate_limits").get("exports")
                .get("limit").asLong()).as("a refused override changes nothing").isEqualTo(100);
    }

    @Test
    void R73_removing_an_override_falls_back_to_the_plan_and_an_expired_one_stops_at_its_instant() {
        enterprisePlans();
        ApiClient acme = user("acme", "pro");
        assertOk(admin.put("/v1/users/acme/overrides", "{\"limits\": {\"exports\": 5000}, \"expires_at\": \""
                + START.plus(Duration.ofHours(1)) + "\"}"));
        assertOk(acme.post("/v1/users/acme/usage", record("exports", 900)));

        clock.set(START.plus(Duration.ofHours(1)));

        assertLimitExceeded(acme.post("/v1/users/acme/usage", record("exports", 101)), "exports");
        assertThat(metric(acme.get("/v1/users/acme/billing").json(), "exports").get("source").asText())
                .isEqualTo("plan");
        assertThat(assertOk(admin.get("/v1/users/acme/overrides")).json().get("active").asBoolean()).isFalse();
        assertThat(assertOk(admin.send("DELETE", "/v1/users/acme/overrides", null, Map.of())).json().get("limits")
                .toString()).isEqualTo("{\"exports\":5000}");
        assertThat(admin.get("/v1/users/acme/overrides").status()).isEqualTo(404);
        assertThat(admin.send("DELETE", "/v1/users/acme/overrides", null, Map.of()).json().get("error").asText())
                .isEqualTo("no_override");
    }

    @Test
    void R73_a_scheduled_downgrade_is_pending_in_the_overview_then_applies_at_period_end() {
        enterprisePlans();
        ApiClient acme = user("acme", "pro");

        ApiClient.Response booked = admin.post("/v1/users/acme/plan", "{\"plan_id\": \"free\", \"at\": \"period_end\"}");

        assertThat(booked.status()).as(booked.toString()).isEqualTo(202);
        assertThat(booked.json().toString()).isEqualTo("{\"user_id\":\"acme\",\"plan_id\":\"pro\","
                + "\"pending_plan_change\":{\"plan_id\":\"free\",\"at\":\"2026-11-01T00:00:00Z\"}}");
        JsonNode before = assertOk(acme.get("/v1/users/acme/billing")).json();
        assertThat(before.get("plan").get("id").asText()).isEqualTo("pro");
        assertThat(before.get("pending_plan_change").get("plan_id").asText()).isEqualTo("free");

        clock.set(java.time.Instant.parse("2026-11-01T00:00:00Z"));

        JsonNode after = assertOk(acme.get("/v1/users/acme/billing")).json();
        assertThat(after.get("plan").get("id").asText()).isEqualTo("free");
        assertThat(after.get("pending_plan_change").isNull()).isTrue();
        assertOk(acme.post("/v1/users/acme/usage", record("exports", 10)));
        assertLimitExceeded(acme.post("/v1/users/acme/usage", record("exports", 1)), "exports");
    }

    @Test
    void R73_a_pending_change_is_cancelled_in_one_call_and_an_immediate_change_stays_the_default() {
        enterprisePlans();
        user("acme", "pro");
        assertThat(admin.post("/v1/users/acme/plan", "{\"plan_id\": \"free\", \"at\": \""
                + START.plus(Duration.ofDays(1)) + "\"}").status()).isEqualTo(202);

        assertThat(assertOk(admin.send("DELETE", "/v1/users/acme/plan/pending", null, Map.of())).json().toString())
                .isEqualTo("{\"plan_id\":\"free\",\"at\":\"" + START.plus(Duration.ofDays(1)) + "\"}");

        assertThat(admin.get("/v1/users/acme/billing").json().get("pending_plan_change").isNull()).isTrue();
        assertThat(admin.send("DELETE", "/v1/users/acme/plan/pending", null, Map.of()).status()).isEqualTo(404);
        JsonNode now = assertOk(admin.post("/v1/users/acme/plan", "{\"plan_id\": \"free\"}")).json();
        assertThat(now.get("plan_id").asText()).isEqualTo("free");
    }

    @Test
    void R73_bad_features_overrides_and_schedules_are_a_clear_4xx_and_nothing_is_stored() {
        enterprisePlans();
        user("acme", "pro");

        assertError(admin.put("/v1/plans/odd", "{\"features\": {\"sso\": {\"on\": true}}}"), 400, "invalid_feature");
        assertError(admin.put("/v1/plans/odd", "{\"features\": {\"sso\": null}}"), 400, "invalid_feature");
        assertThat(admin.get("/v1/plans/odd").status()).isEqualTo(404);
        assertError(admin.put("/v1/users/acme/overrides", "{\"features\": {\"retention_days\": true}}"), 400,
                "invalid_feature");
        assertError(admin.put("/v1/users/acme/overrides", "{\"limits\": {\"exports\": true}}"), 400,
                "invalid_field_type");
        assertError(admin.put("/v1/users/acme/overrides", "{\"limits\": {\"exports\": -1}}"), 400, "invalid_limit");
        assertError(admin.put("/v1/users/acme/overrides", "{\"limits\": {\"exports\": 5}, \"expires_at\": \""
                + START.minusSeconds(1) + "\"}"), 400, "invalid_expires_at");
        assertError(admin.put("/v1/users/acme/overrides", "{\"limits\": {\"seats\": 9}}"), 400, "invalid_override");
        assertThat(admin.get("/v1/users/acme/overrides").status()).isEqualTo(404);
        assertError(admin.post("/v1/users/acme/plan", "{\"plan_id\": \"nope\", \"at\": \"period_end\"}"), 400,
                "unknown_plan");
        assertError(admin.post("/v1/users/acme/plan", "{\"plan_id\": \"free\", \"at\": \"" + START + "\"}"), 400,
                "invalid_at");
        assertError(admin.post("/v1/users/acme/plan", "{\"plan_id\": \"free\", \"at\": \"tomorrow\"}"), 400, null);
        assertThat(admin.get("/v1/users/acme/billing").json().get("pending_plan_change").isNull()).isTrue();
        assertError(admin.put("/v1/users/ghost/overrides", "{}"), 404, "user_not_found");
    }

    private static void assertError(ApiClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.json().get("message").asText()).isNotBlank();
        if (code != null) {
            assertThat(response.json().get("error").asText()).as(response.toString()).isEqualTo(code);
        }
    }
}
