package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reservations over HTTP (R71): hold, commit part, release, expiry under the test's clock, and
 * every bad request as a 4xx.
 */
public abstract class ReservationScenarios extends ApiTestSupport {

    private static final String BASE = "/v1/users/acme/reservations";

    private static List<String> fields(JsonNode node) {
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    private ApiClient acme() {
        plan("pro", "{\"tokens\": 1000, \"runs\": 5}");
        return user("acme", "pro");
    }

    private static String hold(ApiClient client, long quantity, String ttl) {
        String body = "{\"metric\": \"tokens\", \"quantity\": " + quantity + (ttl == null ? "" : ", \"ttl_seconds\": "
                + ttl) + "}";
        ApiClient.Response held = client.post(BASE, body);
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        return held.json().get("id").asText();
    }

    private static JsonNode tokens(ApiClient client) {
        return metric(assertOk(client.get("/v1/users/acme/usage")).json(), "tokens");
    }

    @Test
    void R71_an_llm_call_holds_an_estimate_then_commits_the_actual_and_the_rest_is_released() {
        ApiClient acme = acme();

        ApiClient.Response held = acme.post(BASE, "{\"metric\": \"tokens\", \"quantity\": 800}");
        String id = held.json().get("id").asText();
        JsonNode reserved = tokens(acme);
        JsonNode committed = assertOk(acme.post(BASE + "/" + id + "/commit", "{\"quantity\": 612}")).json();

        assertThat(held.status()).isEqualTo(201);
        assertThat(fields(held.json())).containsExactly("id", "metric", "quantity", "state", "held_at", "expires_at",
                "committed_quantity");
        assertThat(held.json().get("state").asText()).isEqualTo("held");
        assertThat(held.json().get("expires_at").asText()).isEqualTo(START.plus(Duration.ofHours(1)).toString());
        assertThat(reserved.get("reserved").decimalValue()).isEqualByComparingTo("800");
        assertThat(committed.get("state").asText()).isEqualTo("committed");
        assertThat(committed.get("committed_quantity").decimalValue()).isEqualByComparingTo("612");
        assertThat(tokens(acme).get("used").decimalValue()).isEqualByComparingTo("612");
        assertThat(tokens(acme).get("reserved").decimalValue()).isZero();
    }

    @Test
    void R71_a_hold_that_does_not_fit_is_the_403_of_R12_and_a_release_gives_it_all_back() {
        ApiClient acme = acme();
        String id = hold(acme, 900, null);

        assertLimitExceeded(acme.post(BASE, "{\"metric\": \"tokens\", \"quantity\": 101}"), "tokens");
        JsonNode released = assertOk(acme.post(BASE + "/" + id + "/release", null)).json();

        assertThat(released.get("state").asText()).isEqualTo("released");
        assertThat(released.get("committed_quantity").isNull()).isTrue();
        assertThat(tokens(acme).get("reserved").decimalValue()).isZero();
        hold(acme, 1000, null);
    }

    @Test
    void R71_an_expired_hold_stops_counting_at_its_instant_and_ending_it_is_409() {
        ApiClient acme = acme();
        String id = hold(acme, 1000, "120");

        clock.advance(Duration.ofSeconds(120));

        assertThat(tokens(acme).get("reserved").decimalValue()).isZero();
        JsonNode check = assertOk(acme.get("/v1/users/acme/entitlements/tokens?quantity=1000")).json();
        assertThat(check.get("allowed").asBoolean()).isTrue();
        for (String end : List.of("/commit", "/release")) {
            ApiClient.Response late = acme.post(BASE + "/" + id + end, null);
            assertThat(late.status()).as(end).isEqualTo(409);
            assertThat(late.error()).as(end).isEqualTo("reservation_expired");
        }
        hold(acme, 1000, null);
    }

    @Test
    void R20_a_retried_hold_and_commit_are_answered_again_and_counted_once() {
        ApiClient acme = acme();
        String key = key();
        JsonNode first = acme.post(BASE, "{\"metric\": \"tokens\", \"quantity\": 300}", key).json();
        JsonNode again = acme.post(BASE, "{\"metric\": \"tokens\", \"quantity\": 300}", key).json();
        String commitKey = key();
        String id = first.get("id").asText();
        assertOk(acme.post(BASE + "/" + id + "/commit", "{\"quantity\": 100}", commitKey));
        JsonNode retried = assertOk(acme.post(BASE + "/" + id + "/commit", "{\"quantity\": 100}", commitKey)).json();

        assertThat(again.get("id").asText()).isEqualTo(id);
        assertThat(retried.get("committed_quantity").decimalValue()).isEqualByComparingTo("100");
        assertThat(tokens(acme).get("used").decimalValue()).isEqualByComparingTo("100");
        assertThat(tokens(acme).get("reserved").decimalValue()).isZero();
        assertThat(acme.post(BASE + "/" + id + "/commit", "{\"quantity\": 100}").error())
                .isEqualTo("reservation_not_held");
    }

    @Test
    void R71_bad_holds_and_ends_are_4xx_never_500() {
        ApiClient acme = acme();
        ApiClient bob = user("bob", "pro");
        String id = hold(acme, 10, null);

        Map<String, String> badHolds = Map.of(
                "{\"metric\": \"tokens\", \"quantity\": -1}", "invalid_quantity",
                "{\"metric\": \"tokens\", \"quantity\": 0}", "invalid_quantity",
                "{\"metric\": \"runs\", \"quantity\": 1.5}", "invalid_quantity",
                "{\"metric\": \"Tokens!\", \"quantity\": 1}", "invalid_metric",
                "{\"quantity\": 1}", "missing_field",
                "{\"metric\": \"tokens\", \"quantity\": 1, \"ttl_seconds\": 0}", "invalid_ttl",
                "{\"metric\": \"tokens\", \"quantity\": 1, \"ttl_seconds\": 86401}", "invalid_ttl",
                "{\"metric\": \"tokens\", \"quantity\": 1e-999999999}", "number_out_of_range");
        badHolds.forEach((body, error) -> {
            ApiClient.Response response = acme.post(BASE, body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.error()).as(body).isEqualTo(error);
        });
        assertThat(acme.post(BASE + "/" + id + "/commit", "{\"quantity\": 11}").error()).isEqualTo("invalid_quantity");
        assertThat(acme.post(BASE + "/" + id + "/commit", "{\"quantity\": -1}").status()).isEqualTo(400);
        for (String unknown : List.of("res_nope", "nope")) {
            ApiClient.Response missing = acme.post(BASE + "/" + unknown + "/commit", null);
            assertThat(missing.status()).as(unknown).isEqualTo(404);
            assertThat(missing.error()).as(unknown).isEqualTo("reservation_not_found");
        }
        String bobs = bob.post("/v1/users/bob/reservations", "{\"metric\": \"tokens\", \"quantity\": 1}").json()
                .get("id").asText();
        assertThat(acme.post(BASE + "/" + bobs + "/release", null).status()).isEqualTo(404);
        assertThat(acme.post("/v1/users/bob/reservations/" + bobs + "/release", null).status()).isEqualTo(404);
        assertThat(tokens(acme).get("reserved").decimalValue()).isEqualByComparingTo("10");
    }

    @Test
    void R71_a_report_runs_reservation_cannot_be_ended_through_reservations() {
        ApiClient acme = acme();
        String run = assertOk(acme.post("/v1/users/acme/report-runs", "{}")).json().get("id").asText();

        assertThat(acme.post(BASE + "/" + run + "/release", null).status()).isEqualTo(404);
        assertThat(metric(acme.get("/v1/users/acme/usage").json(), "runs").get("reserved").decimalValue())
                .isEqualByComparingTo("1");
    }

    @Test
    void R71_R81_a_hold_on_a_sum_meter_reserves_against_its_limit_and_its_commit_feeds_it_through_its_source() {
        String tag = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String meter = "gpt_tokens_" + tag;
        String source = "llm_tokens_" + tag;
        assertOk(admin.put("/v1/meters/" + meter, "{\"source\": \"" + source + "\", \"aggregation\": \"sum\", "
                + "\"filter\": {\"model\": [\"gpt-4o\"]}}"));
        assertOk(admin.put("/v1/meters/peak_" + tag, "{\"source\": \"" + source + "\", \"aggregation\": \"max\"}"));
        plan("metered", "{\"" + meter + "\": 1000, \"peak_" + tag + "\": 100}");
        ApiClient acme = user("acme", "metered");

        ApiClient.Response held = acme.post(BASE, "{\"metric\": \"" + meter + "\", \"quantity\": 800}");
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        String id = held.json().get("id").asText();
        JsonNode reserved = metric(assertOk(acme.get("/v1/users/acme/usage")).json(), meter);
        assertLimitExceeded(acme.post(BASE, "{\"metric\": \"" + meter + "\", \"quantity\": 201}"), meter);
        ApiClient.Response unmatched = acme.post(BASE + "/" + id + "/commit",
                "{\"quantity\": 612, \"dimensions\": {\"model\": \"gpt-3\"}}");
        JsonNode committed = assertOk(acme.post(BASE + "/" + id + "/commit",
                "{\"quantity\": 612, \"dimensions\": {\"model\": \"gpt-4o\"}}")).json();
        JsonNode usage = assertOk(acme.get("/v1/users/acme/usage")).json();
        ApiClient.Response peak = acme.post(BASE, "{\"metric\": \"peak_" + tag + "\", \"quantity\": 5}");

        assertThat(reserved.get("reserved").decimalValue()).isEqualByComparingTo("800");
        assertThat(unmatched.status()).as(unmatched.toString()).isEqualTo(422);
        assertThat(unmatched.json().get("error").asText()).isEqualTo("dimensions_not_matching_meter");
        assertThat(committed.get("state").asText()).isEqualTo("committed");
        assertThat(committed.get("committed_quantity").decimalValue()).isEqualByComparingTo("612");
        assertThat(metric(usage, meter).get("used").decimalValue()).isEqualByComparingTo("612");
        assertThat(metric(usage, meter).get("reserved").decimalValue()).isZero();
        assertThat(metric(usage, source).get("used").decimalValue()).isEqualByComparingTo("612");
        assertThat(metric(usage, "peak_" + tag).get("used").decimalValue()).as("the source's record feeds every meter")
                .isEqualByComparingTo("612");
        assertThat(peak.status()).as(peak.toString()).isEqualTo(422);
        assertThat(peak.json().get("error").asText()).isEqualTo("meter_not_reservable");
        assertThat(peak.json().get("message").asText()).contains("max").contains("only sum and count");
        assertThat(metric(assertOk(acme.get("/v1/users/acme/usage")).json(), "peak_" + tag).get("reserved")
                .decimalValue()).as("nothing held").isZero();
    }
}
