package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No tenant can slow the others (R67): a user's distinct metrics per period are bounded (a plan's
 * {@code max_metrics}, else the server's default of 1 000), on every path that creates usage, with
 * declared metrics always fitting; allocations exist only for the metrics a plan declares, so
 * that calls on other names create no value and no event (R72, R75); allocations are whole units.
 */
public abstract class TenantBoundScenarios extends ApiTestSupport {

    /** A batch of one record of each metric, quantity 1, under fresh keys. */
    private static String batch(List<String> metrics, boolean enforce) {
        StringBuilder body = new StringBuilder("{\"enforce\": " + enforce + ", \"records\": [");
        for (int i = 0; i < metrics.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"metric\": \"").append(metrics.get(i))
                    .append("\", \"quantity\": 1, \"idempotency_key\": \"").append(key()).append("\"}");
        }
        return body.append("]}").toString();
    }

    private static List<String> names(String prefix, int from, int to) {
        List<String> names = new ArrayList<>();
        for (int i = from; i < to; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    private static JsonNode assertTooManyMetrics(ApiClient.Response response, String metric, int max) {
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        JsonNode body = response.json();
        assertThat(body.get("error").asText()).isEqualTo("too_many_metrics");
        assertThat(body.get("metric").asText()).isEqualTo(metric);
        assertThat(body.get("max_metrics").asInt()).isEqualTo(max);
        assertThat(body.get("message").asText()).contains(String.valueOf(max)).contains("max_metrics");
        return body;
    }

    private static int metricCount(ApiClient client, String user) {
        return assertOk(client.get("/v1/users/" + user + "/usage")).json().get("metrics").size();
    }

    private int events(String user) {
        return assertOk(admin.get("/v1/events?user_id=" + user)).json().get("events").size();
    }

    @Test
    void R67_a_user_key_records_at_most_1000_metrics_per_period_by_default_and_declared_ones_still_fit() {
        plan("free", "{\"runs\": 10}");
        ApiClient acme = user("acme", "free");
        assertOk(acme.post("/v1/users/acme/usage", batch(names("m", 0, 1000), false)));

        assertTooManyMetrics(acme.post("/v1/users/acme/usage", batch(List.of("m1000"), false)), "m1000", 1000);
        assertOk(acme.post("/v1/users/acme/usage", batch(List.of("runs", "m7"), false)));

        assertThat(metricCount(acme, "acme")).isEqualTo(1001);
        clock.set(Instant.parse("2026-11-01T00:00:00Z"));
        assertOk(acme.post("/v1/users/acme/usage", batch(List.of("m1000"), false)));
    }

    @Test
    void R67_a_plans_max_metrics_bounds_every_path_that_creates_usage_and_a_refusal_stores_nothing() {
        assertOk(admin.put("/v1/plans/small", "{\"limits\": {\"gpu\": 100}, \"allocations\": {\"seats\": 2},"
                + " \"max_metrics\": 3}"));
        ApiClient acme = user("acme", "small");
        assertThat(assertOk(admin.get("/v1/plans/small")).json().get("max_metrics").asInt()).isEqualTo(3);
        assertOk(acme.post("/v1/users/acme/usage", batch(List.of("a", "b"), false)));
        assertOk(acme.post("/v1/users/acme/api-calls", "{\"call_type\": \"video\", \"cost_usd\": 0}", key()));

        assertTooManyMetrics(acme.post("/v1/users/acme/api-calls", "{\"call_type\": \"audio\", \"cost_usd\": 0}",
                key()), "api_calls.audio", 3);
        assertTooManyMetrics(acme.post("/v1/users/acme/reservations", "{\"metric\": \"d\", \"quantity\": 1}",
                key()), "d", 3);
        assertTooManyMetrics(acme.post("/v1/users/acme/usage", batch(List.of("e"), true)), "e", 3);
        assertTooManyMetrics(acme.post("/v1/users/acme/usage", batch(List.of("a", "f", "g"), false)), "f", 3);

        assertOk(acme.post("/v1/users/acme/usage", batch(List.of("gpu", "seats", "a"), true)));
        assertOk(acme.post("/v1/users/acme/sessions", "{\"title\": \"t\"}", key()));
        JsonNode usage = assertOk(acme.get("/v1/users/acme/usage")).json();
        assertThat(metric(usage, "a").get("used").decimalValue()).as("the refused batch stored nothing")
                .isEqualByComparingTo("2");
        List<String> shown = new ArrayList<>();
        usage.get("metrics").forEach(m -> shown.add(m.get("metric").asText()));
        assertThat(shown).containsExactly("a", "api_calls.video", "b", "gpu", "seats", "sessions");
        assertThat(events("acme")).isZero();
    }

    @Test
    void R67_max_metrics_is_a_whole_number_from_0_to_100000_and_0_lets_only_declared_metrics_in() {
        for (String bad : List.of("-1", "100001", "1.5", "\"10\"")) {
            ApiClient.Response response = admin.put("/v1/plans/odd", "{\"max_metrics\": " + bad + "}");
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.message()).as(bad).contains("max_metrics");
        }
        assertThat(admin.get("/v1/plans/odd").status()).isEqualTo(404);
        assertOk(admin.put("/v1/plans/strict", "{\"limits\": {\"gpu\": 5}, \"max_metrics\": 0}"));
        ApiClient acme = user("acme", "strict");

        assertOk(acme.post("/v1/users/acme/usage", batch(List.of("gpu"), true)));
        assertTooManyMetrics(acme.post("/v1/users/acme/usage", batch(List.of("other"), false)), "other", 0);
        assertThat(assertOk(admin.get("/v1/plans/strict")).json().get("max_metrics").asInt()).isZero();
        assertOk(admin.put("/v1/plans/strict", "{\"limits\": {\"gpu\": 5}}"));
        assertThat(assertOk(admin.get("/v1/plans/strict")).json().get("max_metrics").isNull()).isTrue();
    }

    @Test
    void R67_R72_allocations_exist_only_for_metrics_the_plan_declares_and_other_names_create_no_event() {
        assertOk(admin.put("/v1/plans/team", "{\"allocations\": {\"seats\": 3}}"));
        ApiClient acme = user("acme", "team");

        for (int i = 0; i < 50; i++) {
            ApiClient.Response refused = acme.post("/v1/users/acme/allocations/zz" + i, "{\"delta\": 1}");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
            assertThat(refused.error()).isEqualTo("allocation_not_found");
            assertThat(refused.message()).contains("zz" + i).contains("seats");
        }
        ApiClient.Response set = admin.put("/v1/users/acme/allocations/zz1", "{\"value\": 1}");

        assertThat(set.status()).isEqualTo(404);
        assertThat(events("acme")).isZero();
        JsonNode all = assertOk(acme.get("/v1/users/acme/allocations")).json().get("allocations");
        assertThat(all.size()).isEqualTo(1);
        assertThat(all.get(0).get("metric").asText()).isEqualTo("seats");
    }

    @Test
    void R72_a_value_kept_from_an_earlier_plan_may_fall_but_not_rise_and_then_is_gone() {
        assertOk(admin.put("/v1/plans/team", "{\"allocations\": {\"seats\": 3}}"));
        assertOk(admin.put("/v1/plans/solo", "{\"limits\": {\"runs\": 3}}"));
        ApiClient acme = user("acme", "team");
        assertOk(acme.post("/v1/users/acme/allocations/seats", "{\"delta\": 2}"));
        assertOk(admin.post("/v1/users/acme/plan", "{\"plan_id\": \"solo\"}"));

        assertLimitExceeded(acme.post("/v1/users/acme/allocations/seats", "{\"delta\": 1}"), "seats");
        assertOk(acme.post("/v1/users/acme/allocations/seats", "{\"delta\": -2}"));

        assertThat(acme.post("/v1/users/acme/allocations/seats", "{\"delta\": 1}").error())
                .isEqualTo("allocation_not_found");
    }

    @Test
    void R72_allocations_are_whole_units() {
        assertOk(admin.put("/v1/plans/team", "{\"allocations\": {\"seats\": 3}}"));
        ApiClient acme = user("acme", "team");

        ApiClient.Response half = acme.post("/v1/users/acme/allocations/seats", "{\"delta\": 0.5}");
        ApiClient.Response value = admin.put("/v1/users/acme/allocations/seats", "{\"value\": 1.5}");
        ApiClient.Response limit = admin.put("/v1/plans/team", "{\"allocations\": {\"seats\": 1.5}}");

        assertThat(List.of(half.status(), value.status(), limit.status())).containsOnly(400);
        assertThat(List.of(half.error(), value.error(), limit.error()))
                .containsExactly("invalid_delta", "invalid_value", "invalid_limit");
        assertThat(assertOk(admin.get("/v1/plans/team")).json().get("allocations").get("seats").asInt())
                .isEqualTo(3);
        assertThat(assertOk(acme.get("/v1/users/acme/allocations")).json().get("allocations").get(0).get("value")
                .decimalValue()).isZero();
    }

    @Test
    void R64_a_limit_may_be_10_to_the_15_and_no_more_as_the_docs_say() {
        assertOk(admin.put("/v1/plans/big", "{\"limits\": {\"gpu\": 1000000000000000}}"));

        ApiClient.Response over = admin.put("/v1/plans/big", "{\"limits\": {\"gpu\": 1000000000000001}}");

        assertThat(over.status()).isEqualTo(400);
        assertThat(over.message()).contains("at most 1000000000000000");
        assertThat(assertOk(admin.get("/v1/plans/big")).json().get("limits").get("gpu").decimalValue())
                .isEqualByComparingTo("1000000000000000");
    }

    /** The events of {@code user} of {@code type}, every page. */
    private List<JsonNode> events(String user, String type) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = assertOk(admin.get("/v1/events?user_id=" + user + "&type=" + type + "&limit=100"
                    + (cursor.isEmpty() ? "" : "&cursor=" + cursor))).json();
            page.get("events").forEach(all::add);
            cursor = page.get("next_cursor").isNull() ? "" : page.get("next_cursor").asText();
        } while (!cursor.isEmpty());
        return all;
    }

    @Test
    void R67_R75_run_completions_past_100_a_minute_are_coalesced_into_one_event_and_thresholds_never_are() {
        plan("busy", "{\"gpu\": 10}");
        ApiClient acme = user("acme", "busy");

        for (int i = 0; i < 103; i++) {
            run(acme, "acme", "succeeded");
        }
        assertOk(acme.post("/v1/users/acme/usage", batch(List.of("gpu"), false).replace("\"quantity\": 1",
                "\"quantity\": 10")));

        assertThat(events("acme", "run.completed")).hasSize(100);
        List<JsonNode> coalesced = events("acme", "events.coalesced");
        assertThat(coalesced).hasSize(1);
        assertThat(coalesced.get(0).get("data").get("type").asText()).isEqualTo("run.completed");
        assertThat(coalesced.get(0).get("data").get("limit").asInt()).isEqualTo(100);
        assertThat(coalesced.get(0).get("data").get("window_end").asText()).isEqualTo("2026-10-15T12:01:00Z");
        assertThat(events("acme", "usage.threshold_reached")).hasSize(2);
        assertThat(assertOk(acme.get("/v1/users/acme/report-runs/usage")).json().get("successful_runs").asInt())
                .as("every run is stored").isEqualTo(103);
        clock.advance(java.time.Duration.ofMinutes(1));
        run(acme, "acme", "failed");
        assertThat(events("acme", "run.completed")).hasSize(101);
    }
}
