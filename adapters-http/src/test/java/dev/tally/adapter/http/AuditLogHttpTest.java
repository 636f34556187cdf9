package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit log over HTTP (R93): what an entry says, its filters and its cursor. */
class AuditLogHttpTest extends ApiTestSupport {

    @Test
    void R93_a_plan_change_is_logged_with_old_and_new_plan_key_and_request_id() {
        plan("free", "{\"runs\": 5}");
        plan("pro", "{\"runs\": 50}");
        user("acme", "free");

        admin.send("POST", "/v1/users/acme/plan", "{\"plan_id\": \"pro\"}", Map.of("Request-Id", "ticket-7"));

        JsonNode entry = assertOk(admin.get("/v1/audit-log?target=user:acme&action=user.plan_change")).json()
                .get("data").get(0);
        assertThat(entry.get("summary").asText()).isEqualTo("plan free -> pro");
        assertThat(entry.get("request_id").asText()).isEqualTo("ticket-7");
        assertThat(entry.get("target").asText()).isEqualTo("user:acme");
        assertThat(entry.get("actor_key_id").asText()).isNotEmpty();
    }

    @Test
    void R93_a_grant_is_logged_with_its_amount_and_a_webhook_secret_never() {
        plan("free", "{\"runs\": 5}");
        user("acme", "free");

        assertOk(admin.post("/v1/users/acme/credits/grants", "{\"amount\": 50}", "g-1"));
        String secret = assertOk(admin.put("/v1/webhook-endpoints/hook",
                "{\"url\": \"https://93.184.215.14/hook\", \"events\": [\"*\"], \"enabled\": false}")).json().get("secret").asText();

        JsonNode grant = assertOk(admin.get("/v1/audit-log?action=credit.grant")).json().get("data").get(0);
        String log = assertOk(admin.get("/v1/audit-log")).text();
        assertThat(grant.get("summary").asText()).isEqualTo("{\"amount\":50}");
        assertThat(log).contains("webhook_endpoint:hook").doesNotContain(secret);
    }

    @Test
    void R93_the_log_pages_newest_first_by_cursor_and_refuses_a_cursor_it_did_not_give() {
        for (int i = 0; i < 5; i++) {
            plan("p" + i, "{\"runs\": " + i + "}");
        }
        JsonNode first = assertOk(admin.get("/v1/audit-log?action=plan.put&limit=3")).json();
        JsonNode second = assertOk(admin.get("/v1/audit-log?action=plan.put&limit=3&cursor="
                + first.get("next_cursor").asText())).json();

        assertThat(first.get("data").findValuesAsText("target")).containsExactly("plan:p4", "plan:p3", "plan:p2");
        assertThat(second.get("data").findValuesAsText("target")).containsExactly("plan:p1", "plan:p0");
        assertThat(second.get("has_more").asBoolean()).isFalse();
        for (String cursor : new String[] {"nonsense!", "YjA", "eDEyMw", "Yjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"}) {
            ApiClient.Response refused = admin.get("/v1/audit-log?cursor=" + cursor);
            assertThat(refused.status()).as(cursor).isEqualTo(400);
            assertThat(refused.error()).as(cursor).isEqualTo("invalid_cursor");
        }
    }
}
