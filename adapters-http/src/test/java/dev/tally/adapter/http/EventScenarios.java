package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Alerts over HTTP (R75): plans carry their thresholds, writes create events, and
 * {@code GET /v1/events} pages them. Public so the JDBC end-to-end tests of the bootstrap module
 * run it on H2 and PostgreSQL too.
 */
public abstract class EventScenarios extends ApiTestSupport {

    private static ApiClient.Response use(ApiClient client, String user, long quantity, boolean enforce) {
        return client.post("/v1/users/" + user + "/usage", "{\"records\": [{\"metric\": \"exports\", \"quantity\": "
                + quantity + ", \"idempotency_key\": \"" + key() + "\"}], \"enforce\": " + enforce + "}");
    }

    private static List<JsonNode> events(ApiClient client, String query) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = assertOk(client.get("/v1/events?limit=2" + query
                    + (cursor == null ? "" : "&cursor=" + cursor))).json();
            page.get("events").forEach(all::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return all;
    }

    @Test
    void R75_a_plan_takes_and_shows_its_alert_thresholds_and_low_balance_with_defaults() {
        JsonNode custom = assertOk(admin.put("/v1/plans/custom", "{\"name\": \"Custom\", \"limits\": {\"exports\": 10},"
                + " \"alert_thresholds_percent\": [100, 50], \"low_balance_credits\": 20}")).json();
        JsonNode plain = assertOk(admin.put("/v1/plans/plain", "{\"limits\": {\"exports\": 10}}")).json();

        assertThat(custom.get("alert_thresholds_percent").toString()).isEqualTo("[50,100]");
        assertThat(custom.get("low_balance_credits").asLong()).isEqualTo(20);
        assertThat(plain.get("alert_thresholds_percent").toString()).isEqualTo("[80,100]");
        assertThat(plain.get("low_balance_credits").isNull()).isTrue();
        assertThat(assertOk(admin.get("/v1/plans/custom")).json().get("alert_thresholds_percent").toString())
                .isEqualTo("[50,100]");
    }

    @Test
    void R75_a_plan_with_a_bad_threshold_is_400_and_changes_nothing() {
        ApiClient.Response zero = admin.put("/v1/plans/bad", "{\"limits\": {}, \"alert_thresholds_percent\": [0]}");
        ApiClient.Response text = admin.put("/v1/plans/bad", "{\"limits\": {}, \"alert_thresholds_percent\": \"80\"}");
        ApiClient.Response negative = admin.put("/v1/plans/bad", "{\"limits\": {}, \"low_balance_credits\": -1}");

        assertThat(List.of(zero.status(), text.status(), negative.status())).containsOnly(400);
        assertThat(zero.error()).isEqualTo("invalid_plan");
        assertThat(admin.get("/v1/plans/bad").status()).isEqualTo(404);
    }

    @Test
    void R75_order_desc_reads_the_newest_events_first_and_its_cursor_reads_on_to_older_ones() {
        plan("pro", "{\"exports\": 10}");
        ApiClient acme = user("acme", "pro");
        assertOk(use(acme, "acme", 8, true));
        assertOk(use(acme, "acme", 2, false));
        assertThat(use(acme, "acme", 1, true).status()).isEqualTo(403);
        List<JsonNode> oldestFirst = events(acme, "");

        List<JsonNode> newestFirst = events(acme, "&order=desc");
        JsonNode newest = assertOk(admin.get("/v1/events?order=desc&limit=1")).json();
        ApiClient.Response sideways = admin.get("/v1/events?order=sideways");

        assertThat(oldestFirst).hasSize(3);
        assertThat(newestFirst).containsExactly(oldestFirst.get(2), oldestFirst.get(1), oldestFirst.get(0));
        assertThat(newest.get("events")).containsExactly(oldestFirst.get(2));
        assertThat(newest.get("next_cursor").isNull()).isFalse();
        assertThat(sideways.status()).isEqualTo(400);
        assertThat(sideways.error()).isEqualTo("invalid_order");
    }

    @Test
    void R75_crossing_80_and_100_percent_and_a_denial_are_events_read_oldest_first_by_cursor() {
        plan("pro", "{\"exports\": 10}");
        ApiClient acme = user("acme", "pro");
        ApiClient bob = user("bob", "pro");
        assertOk(use(acme, "acme", 8, true));
        assertOk(use(acme, "acme", 2, false));
        assertThat(use(acme, "acme", 1, true).status()).isEqualTo(403);
        assertOk(use(bob, "bob", 9, false));

        List<JsonNode> acmes = events(acme, "");
        List<JsonNode> denials = events(admin, "&user_id=acme&type=usage.limit_denied");
        List<JsonNode> everyone = events(admin, "");

        assertThat(acmes).extracting(e -> e.get("type").asText()).containsExactly("usage.threshold_reached",
                "usage.threshold_reached", "usage.limit_denied");
        JsonNode first = acmes.get(0);
        assertThat(first.get("id").asText()).startsWith("evt_");
        assertThat(first.get("user_id").asText()).isEqualTo("acme");
        assertThat(first.get("created_at").asText()).isEqualTo(START.toString());
        JsonNode data = first.get("data");
        assertThat(data.get("metric").asText()).isEqualTo("exports");
        assertThat(data.get("threshold_percent").asInt()).isEqualTo(80);
        assertThat(data.get("used").decimalValue()).isEqualByComparingTo("8");
        assertThat(data.get("limit").decimalValue()).isEqualByComparingTo("10");
        assertThat(data.get("period").get("start").asText()).isEqualTo("2026-10-01T00:00:00Z");
        assertThat(acmes.get(1).get("data").get("threshold_percent").asInt()).isEqualTo(100);
        assertThat(denials).hasSize(1);
        assertThat(denials.get(0).get("data").get("requested").decimalValue()).isEqualByComparingTo("1");
        assertThat(everyone).hasSize(4);
    }

    @Test
    void R75_allocation_changes_reach_80_and_100_percent_once_each_and_a_refused_increase_is_denied_once() {
        assertOk(admin.put("/v1/plans/team", "{\"name\": \"Team\", \"limits\": {}, \"allocations\": {\"seats\": 5}}"));
        ApiClient acme = user("acme", "team");
        String seats = "/v1/users/acme/allocations/seats";
        assertOk(acme.post(seats, "{\"delta\": 3}", "three"));
        assertOk(acme.post(seats, "{\"delta\": 1}", "fourth"));
        assertOk(acme.post(seats, "{\"delta\": 1}", "fourth"));
        assertOk(admin.put(seats, "{\"value\": 5}"));
        assertThat(acme.post(seats, "{\"delta\": 1}", "sixth").status()).isEqualTo(403);
        assertThat(acme.post(seats, "{\"delta\": 2}", "seventh").status()).isEqualTo(403);

        List<JsonNode> events = events(acme, "");

        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("usage.threshold_reached",
                "usage.threshold_reached", "usage.limit_denied");
        JsonNode eighty = events.get(0).get("data");
        assertThat(eighty.get("metric").asText()).isEqualTo("seats");
        assertThat(eighty.get("threshold_percent").asInt()).isEqualTo(80);
        assertThat(eighty.get("used").decimalValue()).isEqualByComparingTo("4");
        assertThat(eighty.get("limit").decimalValue()).isEqualByComparingTo("5");
        assertThat(eighty.get("period").isNull()).isTrue();
        assertThat(events.get(1).get("data").get("used").decimalValue()).isEqualByComparingTo("5");
        JsonNode denied = events.get(2).get("data");
        assertThat(denied.get("requested").decimalValue()).isEqualByComparingTo("1");
        assertThat(denied.get("period").isNull()).isTrue();
    }

    @Test
    void R75_a_user_key_reads_only_its_own_events_and_bad_queries_are_400() {
        plan("pro", "{\"exports\": 10}");
        ApiClient acme = user("acme", "pro");
        user("bob", "pro");
        assertOk(use(admin, "bob", 10, false));

        assertThat(events(acme, "")).isEmpty();
        ApiClient.Response other = acme.get("/v1/events?user_id=bob");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.error()).isEqualTo("user_not_found");
        assertThat(acme.get("/v1/events?type=usage.everything").error()).isEqualTo("invalid_event_type");
        assertThat(acme.get("/v1/events?cursor=nonsense").error()).isEqualTo("invalid_cursor");
        assertThat(acme.get("/v1/events?limit=0").error()).isEqualTo("invalid_paging");
        assertThat(new ApiClient(server.port(), null).get("/v1/events").status()).isEqualTo(401);
    }
}
