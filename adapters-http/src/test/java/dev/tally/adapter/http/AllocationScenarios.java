package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Allocations over HTTP (R72): plans list them, {@code POST …/allocations/{metric}} changes one
 * (an increase past the limit is the 403 of R12, a decrease below zero a 409), an operator's
 * {@code PUT} sets one, and they show in the billing overview (R50) and in entitlements (R70).
 */
public abstract class AllocationScenarios extends ApiTestSupport {

    private static List<String> fields(JsonNode node) {
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    private ApiClient team() {
        assertOk(admin.put("/v1/plans/team", "{\"name\": \"Team\", \"limits\": {\"runs\": 5}, "
                + "\"allocations\": {\"seats\": 3, \"projects\": \"unlimited\"}}"));
        return user("acme", "team");
    }

    private static ApiClient.Response delta(ApiClient client, String metric, String delta) {
        return client.post("/v1/users/acme/allocations/" + metric, "{\"delta\": " + delta + "}");
    }

    @Test
    void R72_a_plan_lists_its_allocations_apart_from_its_limits() {
        team();

        JsonNode plan = assertOk(admin.get("/v1/plans/team")).json();

        assertThat(plan.get("limits").toString()).isEqualTo("{\"runs\":5}");
        assertThat(plan.get("allocations").toString()).isEqualTo("{\"projects\":null,\"seats\":3}");
        ApiClient.Response both = admin.put("/v1/plans/bad", "{\"limits\": {\"seats\": 1}, \"allocations\": "
                + "{\"seats\": 1}}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.error()).isEqualTo("invalid_plan");
    }

    @Test
    void R72_increases_fill_the_limit_and_the_next_is_the_403_of_R12_with_no_reset() {
        ApiClient acme = team();

        JsonNode three = assertOk(delta(acme, "seats", "3")).json();
        JsonNode denied = assertLimitExceeded(delta(acme, "seats", "1"), "seats");

        assertThat(fields(three)).containsExactly("metric", "value", "limit", "remaining", "percent", "status", "source");
        assertThat(three.get("value").decimalValue()).isEqualByComparingTo("3");
        assertThat(three.get("remaining").decimalValue()).isZero();
        assertThat(three.get("status").asText()).isEqualTo("exceeded");
        assertThat(denied.get("current_usage").decimalValue()).isEqualByComparingTo("3");
        assertThat(denied.get("limit").decimalValue()).isEqualByComparingTo("3");
        assertThat(denied.get("resets_at").isNull()).isTrue();
    }

    @Test
    void R72_a_decrease_below_zero_is_409_and_a_retried_change_counts_once() {
        ApiClient acme = team();
        String key = key();
        assertOk(acme.post("/v1/users/acme/allocations/seats", "{\"delta\": 2}", key));
        assertOk(acme.post("/v1/users/acme/allocations/seats", "{\"delta\": 2}", key));

        ApiClient.Response below = delta(acme, "seats", "-3");

        assertThat(below.status()).isEqualTo(409);
        assertThat(below.error()).isEqualTo("allocation_below_zero");
        JsonNode all = assertOk(acme.get("/v1/users/acme/allocations")).json();
        assertThat(fields(all)).containsExactly("user_id", "plan_id", "allocations");
        assertThat(all.get("allocations").get(1).get("metric").asText()).isEqualTo("seats");
        assertThat(all.get("allocations").get(1).get("value").decimalValue()).isEqualByComparingTo("2");
        assertThat(acme.post("/v1/users/acme/allocations/seats", "{\"delta\": 1}", key).status()).isEqualTo(422);
    }

    @Test
    void R72_an_operator_sets_a_value_above_the_limit_and_only_decreases_pass_until_it_is_under() {
        ApiClient acme = team();

        JsonNode set = assertOk(admin.put("/v1/users/acme/allocations/seats", "{\"value\": 5}")).json();

        assertThat(set.get("value").decimalValue()).isEqualByComparingTo("5");
        assertThat(set.get("status").asText()).isEqualTo("exceeded");
        assertThat(acme.put("/v1/users/acme/allocations/seats", "{\"value\": 0}").status()).isEqualTo(403);
        assertLimitExceeded(delta(acme, "seats", "1"), "seats");
        assertOk(delta(acme, "seats", "-3"));
        assertThat(assertOk(delta(acme, "seats", "1")).json().get("value").decimalValue()).isEqualByComparingTo("3");
    }

    @Test
    void R50_R70_allocations_show_in_the_billing_overview_and_in_entitlements() {
        ApiClient acme = team();
        assertOk(delta(acme, "projects", "12"));
        assertOk(delta(acme, "seats", "3"));

        JsonNode billing = assertOk(acme.get("/v1/users/acme/billing")).json();
        JsonNode seats = assertOk(acme.get("/v1/users/acme/entitlements/seats")).json();
        JsonNode all = assertOk(acme.get("/v1/users/acme/entitlements")).json();

        assertThat(billing.get("allocations").toString()).isEqualTo("[{\"metric\":\"projects\",\"value\":12,"
                + "\"limit\":null,\"remaining\":null,\"percent\":null,\"status\":\"ok\",\"source\":\"plan\"},{\"metric\":\"seats\","
                + "\"value\":3,\"limit\":3,\"remaining\":0,\"percent\":100.0,\"status\":\"exceeded\",\"source\":\"plan\"}]");
        assertThat(seats.get("kind").asText()).isEqualTo("allocation");
        assertThat(seats.get("allowed").asBoolean()).isFalse();
        assertThat(seats.get("resets_at").isNull()).isTrue();
        assertThat(seats.get("denial").get("error").asText()).isEqualTo("seats_limit_exceeded");
        List<String> kinds = new ArrayList<>();
        all.get("entitlements").forEach(e -> kinds.add(e.get("metric").asText() + ":" + e.get("kind").asText()));
        assertThat(kinds).containsExactly("runs:metered", "projects:allocation", "seats:allocation");
    }

    @Test
    void R72_bad_changes_are_4xx_and_change_nothing() {
        ApiClient acme = team();
        user("bob", "team");

        Map<String, String> bad = Map.of(
                "{\"delta\": 0}", "invalid_delta",
                "{\"delta\": \"1\"}", "invalid_field_type",
                "{}", "missing_field",
                "{\"delta\": 0.0000001}", "invalid_quantity",
                "{\"delta\": 1e999999999}", "number_out_of_range");
        bad.forEach((body, error) -> {
            ApiClient.Response response = acme.post("/v1/users/acme/allocations/seats", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.error()).as(body).isEqualTo(error);
        });
        assertThat(delta(acme, "runs", "1").error()).isEqualTo("not_an_allocation");
        assertThat(delta(acme, "Seats!", "1").error()).isEqualTo("invalid_metric");
        assertThat(acme.post("/v1/users/bob/allocations/seats", "{\"delta\": 1}").status()).isEqualTo(404);
        assertThat(admin.put("/v1/users/acme/allocations/seats", "{\"value\": -1}").error()).isEqualTo("invalid_value");
        assertThat(admin.put("/v1/users/ghost/allocations/seats", "{\"value\": 1}").status()).isEqualTo(404);
        assertThat(assertOk(acme.get("/v1/users/acme/allocations")).json().get("allocations").get(1).get("value")
                .decimalValue()).isZero();
    }
}
