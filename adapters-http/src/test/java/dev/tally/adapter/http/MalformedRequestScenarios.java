package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every way a client can get a request wrong gets a 4xx JSON error with a specific code, and
 * changes nothing (R12, R21, R22): usage, balance, runs, sessions and codes are the same after
 * the whole table as before it.
 */
public abstract class MalformedRequestScenarios extends ApiTestSupport {

    private record Case(String method, String path, String body, Map<String, String> headers, int status,
                        String error) {
    }

    private static Case post(String path, String body, int status, String error) {
        return new Case("POST", path, body, Map.of(), status, error);
    }

    private static Case credit(String path, String body, int status, String error) {
        return new Case("POST", path, body, Map.of("Idempotency-Key", key()), status, error);
    }

    private static Case get(String path, int status, String error) {
        return new Case("GET", path, null, Map.of(), status, error);
    }

    private static String usage(String record) {
        return "{\"records\": [" + record + "]}";
    }

    @Test
    void R12_R22_malformed_requests_get_a_specific_4xx_json_error_and_change_nothing() {
        plan("pro", "{\"runs\": 5, \"exports\": 100}");
        ApiClient acme = user("acme", "pro");
        purchase(admin, "acme", 20);
        String spent = spend(acme, "acme", 4, "export");
        run(acme, "acme", "succeeded");
        assertOk(acme.post("/v1/users/acme/usage", usage("{\"metric\": \"exports\", \"quantity\": 3,"
                + " \"idempotency_key\": \"seed\"}")));
        String runId = assertOk(acme.get("/v1/users/acme/report-runs")).json().get("runs").get(0).get("id").asText();
        String session = assertOk(acme.post("/v1/users/acme/sessions", "{\"title\": \"t\"}")).json().get("id").asText();
        JsonNode usageBefore = acme.get("/v1/users/acme/usage").json();
        JsonNode ledgerBefore = acme.get("/v1/users/acme/credits/transactions?limit=100").json();
        JsonNode runsBefore = acme.get("/v1/users/acme/report-runs?limit=100").json();

        String u = "/v1/users/acme";
        String ok = "{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"fresh\"}";
        List<Case> cases = List.of(
                post(u + "/usage", "{not json", 400, "malformed_json"),
                post(u + "/usage", "{\"records\": []} trailing", 400, "malformed_json"),
                post(u + "/usage", "", 400, "body_required"),
                post(u + "/usage", "[]", 400, "invalid_body"),
                post(u + "/usage", "null", 400, "invalid_body"),
                post(u + "/usage", "{}", 400, "missing_field"),
                post(u + "/usage", "{\"records\": \"x\"}", 400, "invalid_field_type"),
                post(u + "/usage", "{\"records\": []}", 400, "invalid_batch"),
                post(u + "/usage", "{\"records\": [null]}", 400, "invalid_field_type"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": 1}"), 400, "missing_field"),
                post(u + "/usage", usage("{\"quantity\": 1, \"idempotency_key\": \"a\"}"), 400, "missing_field"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"idempotency_key\": \"a\"}"), 400,
                        "missing_field"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": \"5\", \"idempotency_key\": \"a\"}"),
                        400, "invalid_field_type"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": -1, \"idempotency_key\": \"a\"}"),
                        400, "invalid_quantity"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": 0, \"idempotency_key\": \"a\"}"),
                        400, "invalid_quantity"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": 0.0000001,"
                        + " \"idempotency_key\": \"a\"}"), 400, "invalid_quantity"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": 1e400, \"idempotency_key\": \"a\"}"),
                        400, "number_out_of_range"),
                post(u + "/usage", usage("{\"metric\": \"activation_codes\", \"quantity\": 0.5,"
                        + " \"idempotency_key\": \"a\"}"), 400, "invalid_quantity"),
                post(u + "/usage", usage("{\"metric\": \"Bad Metric\", \"quantity\": 1, \"idempotency_key\": \"a\"}"),
                        400, "invalid_metric"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"a\","
                        + " \"occurred_at\": \"yesterday\"}"), 400, "invalid_timestamp"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"a\","
                        + " \"occurred_at\": \"2026-10-16T12:00:00Z\"}"), 400, "occurred_at_in_future"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"a\","
                        + " \"occurred_at\": \"2026-08-01T00:00:00Z\"}"), 400, "occurred_at_too_old"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"a\","
                        + " \"dimensions\": {\"provider\": 5}}"), 400, "invalid_field_type"),
                post(u + "/usage", "{\"enforce\": \"yes\", \"records\": [" + ok + "]}", 400, "invalid_field_type"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"a\","
                        + " \"dimensions\": {\"provider\": null}}"), 400, "invalid_dimensions"),
                // A valid record followed by a broken one: nothing of the batch is written.
                post(u + "/usage", "{\"records\": [" + ok + ", {\"metric\": \"exports\", \"quantity\": -2,"
                        + " \"idempotency_key\": \"b\"}]}", 400, "invalid_quantity"),
                new Case("POST", u + "/usage", usage(ok), Map.of(), 413, "request_too_large"),
                get(u + "/usage?at=last-week", 400, "invalid_timestamp"),
                get(u + "/report-runs?limit=0", 400, "invalid_paging"),
                get(u + "/report-runs?limit=101", 400, "invalid_paging"),
                get(u + "/report-runs?offset=-1", 400, "invalid_paging"),
                get(u + "/report-runs?limit=ten", 400, "invalid_paging"),
                get(u + "/credits/transactions?limit=1000", 400, "invalid_paging"),
                get(u + "/costs?top=many", 400, "invalid_top"),
                get(u + "/costs?top=1000", 400, "invalid_top"),
                get(u + "/credits/usage-by-operation?period=last", 400, "invalid_period"),
                get("/v1/users/not%20valid/usage", 400, "invalid_user_id"),
                credit(u + "/credits/usage", "{\"amount\": \"7\", \"operation\": \"x\"}", 400, "invalid_field_type"),
                credit(u + "/credits/usage", "{\"amount\": 1.5, \"operation\": \"x\"}", 400, "invalid_field_type"),
                credit(u + "/credits/usage", "{\"amount\": -3, \"operation\": \"x\"}", 400, "invalid_amount"),
                credit(u + "/credits/usage", "{\"operation\": \"x\"}", 400, "missing_field"),
                credit(u + "/credits/usage", "{\"amount\": 3}", 400, "missing_field"),
                credit(u + "/credits/usage", "{\"amount\": 99999999999999999999, \"operation\": \"x\"}", 400,
                        "invalid_field_type"),
                credit(u + "/credits/usage", "{\"amount\": 500, \"operation\": \"x\"}", 402, "insufficient_credits"),
                credit(u + "/credits/purchases", "{\"amount\": 9223372036854775807}", 400, "number_out_of_range"),
                credit(u + "/credits/refunds", "{\"usage_transaction_id\": \"" + spent + "\", \"amount\": 5}", 422,
                        "refund_exceeds_usage"),
                credit(u + "/credits/refunds", "{\"usage_transaction_id\": \"nope\", \"amount\": 1}", 404,
                        "credit_transaction_not_found"),
                credit(u + "/credits/adjustments", "{\"amount\": 0, \"reason\": \"r\"}", 400, "invalid_amount"),
                new Case("POST", u + "/credits/purchases", "{\"amount\": 1}",
                        Map.of("Idempotency-Key", "x".repeat(300)), 400, "invalid_idempotency_key"),
                post(u + "/sessions", "{}", 400, "missing_field"),
                post(u + "/sessions", "{\"title\": \"t\", \"file_size_mb\": \"big\"}", 400, "invalid_field_type"),
                post(u + "/sessions", "{\"title\": \"t\", \"file_size_mb\": -1}", 400, "invalid_file_size"),
                post(u + "/sessions", "{\"title\": \"t\", \"file_size_mb\": \"\"}", 400, "invalid_field_type"),
                post(u + "/sessions/" + session + "/complete", "{\"duration_seconds\": -5}", 400, "invalid_duration"),
                post(u + "/sessions/" + session + "/complete", "{\"duration_seconds\": 1.5}", 400,
                        "invalid_field_type"),
                post(u + "/sessions/nope/complete", "{\"duration_seconds\": 5}", 404, "session_not_found"),
                post(u + "/report-runs", "{\"repository_id\": 7}", 400, "invalid_field_type"),
                post(u + "/report-runs", "{\"repository_id\": \"" + "r".repeat(256) + "\"}", 400, "field_too_long"),
                post(u + "/report-runs/" + runId + "/complete", "{\"status\": \"failed\", \"model\": \""
                        + "m".repeat(129) + "\"}", 400, "field_too_long"),
                post(u + "/report-runs/" + runId + "/complete", "{\"status\": \"done\"}", 400, "invalid_status"),
                post(u + "/report-runs/" + runId + "/complete", "{\"status\": \"failed\"}", 409, "run_not_running"),
                post(u + "/report-runs/" + runId + "/complete", "{\"status\": \"succeeded\", \"tokens_input\": -1}",
                        400, "invalid_run_completion"),
                post(u + "/report-runs/nope/complete", "{\"status\": \"failed\"}", 404, "run_not_found"),
                post(u + "/report-runs/" + runId + "/webhook-deliveries", "{\"delivered\": \"yes\"}", 400,
                        "invalid_field_type"),
                post(u + "/api-calls", "{\"call_type\": \"LLM!\", \"cost_usd\": 1}", 400, "invalid_call_type"),
                post(u + "/api-calls", "{\"call_type\": \"llm\"}", 400, "missing_field"),
                post(u + "/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": 1, \"status_code\": 999}", 400,
                        "invalid_status_code"),
                post(u + "/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": -1}", 400, "invalid_cost"),
                post(u + "/activation-codes", "{\"max_uses\": 0}", 400, "invalid_max_uses"),
                post("/v1/activation-codes/TLY-NOPE/redeem", null, 404, "activation_code_not_found"),
                new Case("PUT", "/v1/plans/pro", "{\"limits\": {\"runs\": \"lots\"}}", Map.of(), 400,
                        "invalid_field_type"),
                new Case("PUT", "/v1/plans/pro", "{\"limits\": {\"runs\": -1}}", Map.of(), 400, "invalid_limit"),
                // A blank string is not a number, nor "no value" (Jackson would read it as null).
                new Case("PUT", "/v1/plans/pro", "{\"max_file_size_mb\": \"\\u0001\"}", Map.of(), 400,
                        "invalid_field_type"),
                new Case("PUT", "/v1/plans/pro", "{\"max_file_size_mb\": \" \"}", Map.of(), 400, "invalid_field_type"),
                new Case("PUT", "/v1/plans/pro", "{\"warning_threshold_percent\": \"\"}", Map.of(), 400,
                        "invalid_field_type"),
                new Case("PUT", "/v1/plans/pro", "{\"limits\": {\"Runs\": 1}}", Map.of(), 400, "invalid_metric"),
                new Case("PUT", "/v1/plans/pro", "{\"warning_threshold_percent\": 0}", Map.of(), 400,
                        "invalid_plan"),
                new Case("PUT", "/v1/plans/bad%20id", "{}", Map.of(), 400, "invalid_plan_id"),
                new Case("PUT", u, "{\"plan_id\": \"pro\", \"billing\": {\"cycle\": \"weekly\"}}", Map.of(), 400,
                        "invalid_billing_cycle"),
                new Case("PUT", u, "{\"plan_id\": \"pro\", \"billing\": {\"time_zone\": \"Mars/Base\"}}", Map.of(),
                        400, "invalid_time_zone"),
                new Case("PUT", u, "{\"plan_id\": \"pro\", \"billing\": {\"anchor\": \"soon\"}}", Map.of(), 400,
                        "invalid_timestamp"),
                new Case("PUT", u, "{\"plan_id\": \"gold\"}", Map.of(), 400, "unknown_plan"),
                new Case("PUT", u, "{\"billing\": {}}", Map.of(), 400, "missing_field"),
                new Case("PUT", "/v1/models/gpt-x", "{\"input_per_1k\": 1}", Map.of(), 400, "missing_field"),
                new Case("PUT", "/v1/models/gpt-x", "{\"input_per_1k\": 1, \"output_per_1k\": 1, \"provider\": \""
                        + "p".repeat(101) + "\"}", Map.of(), 400, "field_too_long"),
                post(u + "/plan", "{\"plan_id\": \"gold\"}", 400, "unknown_plan"),
                post(u + "/plan", "{\"plan_id\": \"pro\", \"when\": \"now\"}", 400, "unknown_field"),
                new Case("PUT", "/v1/plans/pro", "{\"limts\": {\"runs\": 1}}", Map.of(), 400, "unknown_field"),
                post(u + "/usage", usage("{\"metric\": \"exports\", \"quantty\": 1, \"idempotency_key\": \"a\"}"),
                        400, "unknown_field"),
                post(u + "/sessions", "{\"title\": \"t\", \"foo\": 1}", 400, "unknown_field"),
                credit(u + "/credits/usage", "{\"amount\": 1, \"operation\": \"x\", \"reason\": \"r\"}", 400,
                        "unknown_field"),
                get("/v1/plans/gold", 404, "plan_not_found"),
                get("/v1/nothing-here", 404, "not_found"),
                new Case("DELETE", u + "/usage", null, Map.of(), 405, "method_not_allowed"));

        SoftAssertions softly = new SoftAssertions();
        for (Case c : cases) {
            String body = c.status() == 413 ? "{\"records\": [], \"pad\": \"" + "x".repeat(1_100_000) + "\"}" : c.body();
            ApiClient client = c.path().startsWith("/v1/plans") || c.path().equals(u) || c.path().endsWith("/plan")
                    || c.path().startsWith("/v1/models") || c.path().matches(".*/credits/(?!usage).*") ? admin : acme;
            ApiClient.Response response = client.send(c.method(), c.path(), body, c.headers());
            String label = c.method() + " " + c.path() + " " + (c.body() == null ? "" : c.body());
            softly.assertThat(response.status()).as(label + " -> " + response).isEqualTo(c.status());
            softly.assertThat(response.contentType()).as(label).startsWith("application/json");
            softly.assertThat(response.error()).as(label + " -> " + response).isEqualTo(c.error());
            softly.assertThat(response.json().path("message").asText()).as(label).isNotBlank();
        }
        softly.assertAll();

        assertThat(acme.get("/v1/users/acme/usage").json()).isEqualTo(usageBefore);
        assertThat(acme.get("/v1/users/acme/credits/transactions?limit=100").json()).isEqualTo(ledgerBefore);
        assertThat(acme.get("/v1/users/acme/report-runs?limit=100").json()).isEqualTo(runsBefore);
        assertThat(balance(acme, "acme")).isEqualTo(16);
        assertOk(acme.get("/v1/users/acme/billing"));
        assertThat(metric(usageBefore, "exports").get("used").decimalValue()).isEqualByComparingTo("3");
    }

    @Test
    void an_unknown_field_is_refused_naming_it_and_the_field_it_most_likely_meant() {
        plan("pro", "{\"runs\": 5}");
        ApiClient acme = user("acme", "pro");

        ApiClient.Response typo = admin.put("/v1/plans/pro", "{\"limts\": {\"runs\": 1}}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.error()).isEqualTo("unknown_field");
        assertThat(typo.json().path("field").asText()).isEqualTo("limts");
        assertThat(typo.json().path("message").asText()).contains("'limts'").contains("Did you mean 'limits'?");
        // The plan still has its limit: a misspelt field is never a plan without it.
        assertThat(admin.get("/v1/plans/pro").json().path("limits").path("runs").decimalValue())
                .isEqualByComparingTo("5");

        ApiClient.Response nested = acme.post("/v1/users/acme/usage", usage("{\"metric\": \"runs\","
                + " \"quantity\": 1, \"idempotency_key\": \"k\", \"dimension\": {\"model\": \"m\"}}"));
        assertThat(nested.error()).isEqualTo("unknown_field");
        assertThat(nested.json().path("field").asText()).isEqualTo("records[0].dimension");
        assertThat(nested.json().path("message").asText()).contains("Did you mean 'dimensions'?");

        ApiClient.Response unlike = acme.post("/v1/users/acme/sessions", "{\"title\": \"t\", \"zzzzzz\": 1}");
        assertThat(unlike.error()).isEqualTo("unknown_field");
        assertThat(unlike.json().path("message").asText()).doesNotContain("Did you mean")
                .contains("Known fields: file_size_mb, title.");
        assertThat(metric(acme.get("/v1/users/acme/usage").json(), "runs").get("used").decimalValue())
                .isEqualByComparingTo("0");
    }
}
