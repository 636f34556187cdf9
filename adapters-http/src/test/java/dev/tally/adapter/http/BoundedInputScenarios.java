package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every input is bounded before it is used (R64): hostile numbers, instants, text, duplicate keys,
 * content types and counters each get a short 4xx JSON error at once, on every backend, and change
 * nothing.
 */
public abstract class BoundedInputScenarios extends ApiTestSupport {

    private static final String U = "/v1/users/acme";

    /** What a test case sends and the answer it must get. */
    private record Case(String method, String path, String body, Map<String, String> headers, int status,
                        String error) {
        static Case of(String method, String path, String body, int status, String error) {
            return new Case(method, path, body, Map.of(), status, error);
        }
    }

    private ApiClient acme;
    private String runId;
    private String sessionId;

    @BeforeEach
    void acme() {
        plan("pro", "{\"runs\": 5, \"exports\": 100, \"sessions\": 10}");
        acme = user("acme", "pro");
        purchase(admin, "acme", 20);
        run(acme, "acme", "succeeded");
        runId = assertOk(acme.post(U + "/report-runs", "{}")).json().get("id").asText();
        sessionId = assertOk(acme.post(U + "/sessions", "{\"title\": \"t\"}")).json().get("id").asText();
    }

    private static String record(String fields) {
        return "{\"records\": [{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"r1\"" + fields
                + "}]}";
    }

    private static String usage(String quantity) {
        return "{\"records\": [{\"metric\": \"exports\", \"quantity\": " + quantity + ", \"idempotency_key\": \"q\"}]}";
    }

    @Test
    void R64_a_number_with_a_huge_or_tiny_exponent_is_a_short_400_answered_at_once() {
        List<Case> cases = List.of(
                Case.of("POST", U + "/usage", usage("1e-999999999"), 400, "number_out_of_range"),
                Case.of("POST", U + "/usage", usage("1e999999999"), 400, "number_out_of_range"),
                Case.of("POST", U + "/usage", usage("-1E-2147483647"), 400, "number_out_of_range"),
                Case.of("PUT", "/v1/plans/pro", "{\"name\": \"p\", \"limits\": {\"exports\": 1e-999999999}}", 400,
                        "number_out_of_range"),
                Case.of("PUT", "/v1/plans/pro", "{\"name\": \"p\", \"max_file_size_mb\": 1e-999999999}", 400,
                        "number_out_of_range"),
                Case.of("PUT", "/v1/models/gpt-x", "{\"input_per_1k\": 1e-999999999, \"output_per_1k\": 1}", 400,
                        "number_out_of_range"),
                Case.of("POST", U + "/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": 1e-999999999}", 400,
                        "number_out_of_range"),
                Case.of("POST", U + "/sessions", "{\"title\": \"t\", \"file_size_mb\": 1e-999999999}", 400,
                        "number_out_of_range"),
                Case.of("POST", U + "/report-runs/" + runId + "/complete",
                        "{\"status\": \"succeeded\", \"cost_usd\": 1e-999999999}", 400, "number_out_of_range"),
                Case.of("POST", U + "/credits/purchases", "{\"amount\": 1e999999999}", 400, "number_out_of_range"));
        assertAllAnsweredAndNothingChanged(cases, 2_000);
    }

    @Test
    void R64_instants_outside_the_years_1970_to_9999_are_400() {
        List<Case> cases = List.of(
                Case.of("GET", U + "/usage?at=0001-01-01T00:00:00Z", null, 400, "invalid_timestamp"),
                Case.of("GET", U + "/usage?at=1969-12-31T23:59:59Z", null, 400, "invalid_timestamp"),
                Case.of("GET", U + "/billing?at=%2B10000-01-01T00:00:00Z", null, 400, "invalid_timestamp"),
                Case.of("GET", U + "/costs?at=-0001-01-01T00:00:00Z", null, 400, "invalid_timestamp"),
                Case.of("GET", U + "/credits/usage-by-operation?at=1600-01-01T00:00:00Z", null, 400,
                        "invalid_timestamp"),
                Case.of("GET", U + "/report-runs/usage?at=0001-01-01T00:00:00Z", null, 400, "invalid_timestamp"),
                Case.of("PUT", U, "{\"plan_id\": \"pro\", \"billing\": {\"anchor\": \"1600-01-01T00:00:00Z\"}}", 400,
                        "invalid_timestamp"),
                Case.of("POST", U + "/usage", record(", \"occurred_at\": \"0001-01-01T00:00:00Z\""), 400,
                        "invalid_timestamp"),
                Case.of("POST", U + "/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": 1, \"occurred_at\":"
                        + " \"+999999999-12-31T23:59:59Z\"}", 400, "invalid_timestamp"));
        assertAllAnsweredAndNothingChanged(cases, 10_000);
    }

    @Test
    void R64_every_instant_from_1970_to_the_end_of_9999_answers_on_every_period_read() {
        SoftAssertions softly = new SoftAssertions();
        for (String at : List.of("1970-01-01T00:00:00Z", "2262-04-12T00:00:00Z", "9999-12-31T23:59:59Z",
                "9999-12-31T23:59:59.999999999Z")) {
            for (String read : List.of("/usage", "/billing", "/costs", "/credits/usage-by-operation",
                    "/report-runs/usage")) {
                ApiClient.Response response = acme.get(U + read + "?at=" + at);
                softly.assertThat(response.status()).as(read + "?at=" + at + " -> " + response).isEqualTo(200);
            }
        }
        softly.assertAll();
    }

    @Test
    void R64_a_read_at_either_end_of_the_range_answers_a_period_inside_it() {
        SoftAssertions softly = new SoftAssertions();
        for (String billing : List.of("{\"cycle\": \"calendar_month\", \"time_zone\": \"UTC\"}",
                "{\"cycle\": \"calendar_month\", \"time_zone\": \"Pacific/Kiritimati\"}",
                "{\"cycle\": \"anniversary\", \"anchor\": \"2026-01-06T09:30:00Z\","
                        + " \"time_zone\": \"America/Los_Angeles\"}")) {
            assertOk(admin.put(U, "{\"plan_id\": \"pro\", \"billing\": " + billing + "}"));
            for (String at : List.of("9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999999Z",
                    "9999-12-31T23:59:59.999999999Z")) {
                for (String read : List.of("/usage", "/billing", "/report-runs/usage", "/costs",
                        "/credits/usage-by-operation", "/usage/series?metric=exports&granularity=hour&")) {
                    String path = U + read + (read.endsWith("&") ? "" : "?") + "at=" + at;
                    JsonNode answer = assertOk(acme.get(path)).json();
                    softly.assertThat(answer.at("/period/end").asText()).as("%s with %s", path, billing)
                            .isEqualTo("9999-12-31T23:59:59.999999Z");
                    softly.assertThat(answer.at("/period/start").asText()).as("%s with %s", path, billing)
                            .startsWith("9999-12-").isLessThanOrEqualTo(at);
                    softly.assertThat(instants(answer)).as("every instant of %s with %s", path, billing)
                            .allSatisfy(instant -> assertThat(instant).matches("9999-12-[0-9T:.]+Z")
                                    .isLessThanOrEqualTo("9999-12-31T23:59:59.999999Z"));
                }
            }
            for (String read : List.of("/usage", "/billing", "/report-runs/usage", "/costs")) {
                String path = U + read + "?at=1970-01-01T00:00:00Z";
                softly.assertThat(assertOk(acme.get(path)).json().at("/period/start").asText())
                        .as("%s with %s: no period starts before the range", path, billing)
                        .isEqualTo("1970-01-01T00:00:00Z");
            }
        }
        softly.assertAll();
    }

    /**
     * Every text of {@code node} that is written as an instant, wherever it is, but in the credit
     * grants live now (the overview's {@code credits.grants}): when a grant was made and lapses is
     * its own, not the period's.
     */
    private static List<String> instants(JsonNode node) {
        List<String> found = new java.util.ArrayList<>();
        if (node.isTextual() && node.asText().matches("[+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2}T.*")) {
            found.add(node.asText());
        }
        node.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("grants")) {
                found.addAll(instants(field.getValue()));
            }
        });
        if (node.isArray()) {
            node.forEach(child -> found.addAll(instants(child)));
        }
        return found;
    }

    @Test
    void R64_a_billing_anchor_far_in_the_future_is_kept_or_refused_never_a_500() {
        for (String anchor : List.of("2300-01-15T10:00:00Z", "9999-12-31T23:59:59Z")) {
            ApiClient.Response put = admin.put(U, "{\"plan_id\": \"pro\", \"billing\": {\"cycle\": \"anniversary\","
                    + " \"anchor\": \"" + anchor + "\"}}");
            assertThat(put.status()).as(put.toString()).isIn(200, 400);
            if (put.status() == 400) {
                assertThat(put.error()).isEqualTo("invalid_anchor");
            }
            assertOk(acme.get(U + "/usage"));
            assertOk(acme.get(U + "/billing"));
        }
    }

    @Test
    void R64_nul_and_unpaired_surrogates_are_400_invalid_text_wherever_a_client_sends_text() {
        String nul = "a\\u0000b";
        String lone = "a\\ud800b";
        String reversed = "\\udc00\\ud800";
        List<Case> cases = List.of(
                Case.of("POST", U + "/credits/usage", "{\"amount\": 1, \"operation\": \"" + nul + "\"}", 400,
                        "invalid_text"),
                Case.of("POST", U + "/credits/adjustments", "{\"amount\": 1, \"reason\": \"" + lone + "\"}", 400,
                        "invalid_text"),
                Case.of("POST", U + "/sessions", "{\"title\": \"" + nul + "\"}", 400, "invalid_text"),
                Case.of("POST", U + "/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": 1, \"provider\": \"" + nul
                        + "\"}", 400, "invalid_text"),
                Case.of("POST", U + "/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": 1, \"model\": \"" + reversed
                        + "\"}", 400, "invalid_text"),
                Case.of("POST", U + "/report-runs", "{\"repository_id\": \"" + nul + "\"}", 400, "invalid_text"),
                Case.of("POST", U + "/report-runs/" + runId + "/complete", "{\"status\": \"failed\", \"error_message\": \""
                        + lone + "\"}", 400, "invalid_text"),
                Case.of("PUT", "/v1/plans/pro", "{\"name\": \"" + nul + "\"}", 400, "invalid_text"),
                Case.of("POST", U + "/usage", record(", \"dimensions\": {\"" + nul + "\": \"v\"}"), 400,
                        "invalid_text"),
                Case.of("POST", U + "/usage", record(", \"dimensions\": {\"model\": \"" + lone + "\"}"), 400,
                        "invalid_text"),
                Case.of("POST", U + "/usage", record(", \"dimensions\": {\"" + lone + "\": \"v\"}"), 400,
                        "invalid_text"),
                Case.of("PUT", "/v1/plans/pro", "{\"name\": \"p\", \"limits\": {\"" + reversed + "\": 1}}", 400,
                        "invalid_text"),
                Case.of("POST", U + "/usage", "{\"records\": [], \"ignored\": {\"deep\": [\"" + nul + "\"]}}", 400,
                        "invalid_text"),
                // The server's URI parser refuses a NUL or broken UTF-8 in a path before any route sees it.
                Case.of("PUT", "/v1/models/gpt%00x", "{\"input_per_1k\": 1, \"output_per_1k\": 1}", 400,
                        "bad_request"),
                Case.of("GET", U + "/report-runs/r%00x", null, 400, "bad_request"),
                Case.of("GET", U + "/report-runs/r%ED%A0%80x", null, 400, "bad_request"),
                Case.of("GET", U + "/usage?at=%ED%A0%80", null, 400, "invalid_timestamp"),
                Case.of("GET", U + "/credits/usage-by-operation?period=curr%00ent", null, 400, "invalid_text"),
                Case.of("GET", U + "/usage?at=2026-10-01T00:00:00Z%00", null, 400, "invalid_text"));
        assertAllAnsweredAndNothingChanged(cases, 10_000);
    }

    @Test
    void R64_a_query_string_with_a_broken_percent_escape_is_400_not_silently_ignored() {
        for (String query : List.of(U + "/usage?at=%ZZ", U + "/report-runs?limit=%", U + "/costs?top=1%2",
                U + "/report-runs?li%mit=5")) {
            ApiClient.Response response = acme.rawGet(query);
            assertThat(response.status()).as(query + " -> " + response).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/json");
            assertThat(response.error()).isEqualTo("malformed_query");
        }
        assertThat(acme.rawGet(U + "/report-runs?limit=5%25").error()).isEqualTo("invalid_paging");
    }

    @Test
    void R64_duplicate_keys_are_malformed_json_and_only_application_json_bodies_are_read() {
        Map<String, String> text = Map.of("Content-Type", "text/plain");
        List<Case> cases = List.of(
                Case.of("POST", U + "/usage", "{\"records\": [{\"metric\": \"exports\", \"quantity\": 1,"
                        + " \"quantity\": 1000, \"idempotency_key\": \"d\"}]}", 400, "malformed_json"),
                Case.of("POST", U + "/usage", record(", \"dimensions\": {\"a\": \"1\", \"a\": \"2\"}"), 400,
                        "malformed_json"),
                Case.of("PUT", "/v1/plans/pro", "{\"name\": \"p\", \"name\": \"q\"}", 400, "malformed_json"),
                new Case("POST", U + "/usage", record(""), text, 415, "unsupported_media_type"),
                new Case("POST", U + "/usage", record(""), Map.of("Content-Type", "application/xml"), 415,
                        "unsupported_media_type"),
                new Case("POST", U + "/usage", record(""), Map.of("Content-Type",
                        "application/x-www-form-urlencoded"), 415, "unsupported_media_type"),
                new Case("POST", U + "/usage", record(""), Map.of("Content-Type", "application/json; charset=utf-16"),
                        415, "unsupported_media_type"),
                new Case("POST", U + "/usage", record(""), Map.of("Content-Type", "application/jsonx"), 415,
                        "unsupported_media_type"),
                new Case("PUT", "/v1/plans/pro", "{\"name\": \"p\"}", text, 415, "unsupported_media_type"),
                new Case("POST", U + "/report-runs", "{}", text, 415, "unsupported_media_type"),
                new Case("POST", U + "/billing-period/reset", "{}", text, 415, "unsupported_media_type"));
        assertAllAnsweredAndNothingChanged(cases, 10_000);
    }

    @Test
    void R64_a_utf_16_body_declared_as_json_is_415_since_json_is_utf_8() {
        JsonNode usageBefore = acme.get(U + "/usage").json();
        for (java.nio.charset.Charset utf16 : List.of(java.nio.charset.StandardCharsets.UTF_16,
                java.nio.charset.StandardCharsets.UTF_16LE, java.nio.charset.StandardCharsets.UTF_16BE)) {
            ApiClient.Response response = acme.sendBytes("POST", U + "/usage", record("").getBytes(utf16),
                    Map.of("Content-Type", "application/json"));
            assertThat(response.status()).as(utf16 + " -> " + response).isEqualTo(415);
            assertThat(response.error()).isEqualTo("unsupported_media_type");
        }
        assertThat(acme.get(U + "/usage").json()).isEqualTo(usageBefore);
    }

    @Test
    void R64_application_json_is_read_in_any_case_with_or_without_charset_utf_8_and_a_bodiless_post_needs_none() {
        assertOk(acme.send("POST", U + "/usage", record(""), Map.of("Content-Type", "Application/JSON; Charset=UTF-8")));
        assertOk(acme.send("POST", U + "/usage", usage("2").replace("\"q\"", "\"q2\""),
                Map.of("Content-Type", "application/json;charset=utf-8")));
        assertThat(metric(acme.get(U + "/usage").json(), "exports").get("used").decimalValue())
                .isEqualByComparingTo("3");
        ApiClient.Response bodiless = acme.post(U + "/report-runs", null);
        assertThat(bodiless.status()).as(bodiless.toString()).isEqualTo(201);
    }

    @Test
    void R11_R64_a_fractional_limit_for_a_whole_unit_metric_is_refused() {
        ApiClient.Response response = admin.put("/v1/plans/pro", "{\"name\": \"p\", \"limits\": {\"runs\": 1.5}}");
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_limit");
        assertOk(admin.put("/v1/plans/pro", "{\"name\": \"p\", \"limits\": {\"runs\": 2.0, \"exports\": 1.5}}"));
    }

    @Test
    void R64_counters_are_bounded_so_that_their_sums_fit_their_storage() {
        String big = "5000000000000000000";
        List<Case> cases = List.of(
                Case.of("POST", U + "/report-runs/" + runId + "/complete", "{\"status\": \"succeeded\","
                        + " \"tokens_input\": " + big + "}", 400, "number_out_of_range"),
                Case.of("POST", U + "/report-runs/" + runId + "/complete", "{\"status\": \"succeeded\","
                        + " \"tokens_output\": 1000000000001}", 400, "number_out_of_range"),
                Case.of("POST", U + "/report-runs/" + runId + "/complete", "{\"status\": \"succeeded\","
                        + " \"commits_processed\": " + big + "}", 400, "number_out_of_range"),
                Case.of("POST", U + "/sessions/" + sessionId + "/complete", "{\"duration_seconds\": " + big + "}", 400,
                        "number_out_of_range"),
                Case.of("POST", U + "/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": 1, \"latency_ms\": " + big
                        + "}", 400, "number_out_of_range"));
        assertAllAnsweredAndNothingChanged(cases, 10_000);
        ApiClient.Response tokens = acme.post(U + "/report-runs/" + runId + "/complete",
                "{\"status\": \"succeeded\", \"tokens_input\": " + big + "}");
        assertThat(tokens.json().get("message").asText()).contains("1000000000000");
        assertOk(acme.post(U + "/report-runs/" + runId + "/complete",
                "{\"status\": \"succeeded\", \"tokens_input\": 1000000000000, \"tokens_output\": 1000000000000}"));
        assertOk(acme.get(U + "/report-runs/usage"));
        assertOk(acme.get(U + "/billing"));
    }

    @Test
    void R12_a_refusal_before_the_body_is_used_still_reaches_a_client_sending_a_large_body() {
        String large = "{\"records\": [], \"pad\": \"" + "x".repeat(70_000) + "\"}";
        for (int i = 0; i < 50; i++) {
            ApiClient.Response anonymous = acme.withKey(null).post(U + "/usage", large);
            assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
            ApiClient.Response notAdmin = acme.put("/v1/plans/pro", large);
            assertThat(notAdmin.status()).as(notAdmin.toString()).isEqualTo(403);
            ApiClient.Response noRoute = acme.post("/v1/nothing-here", large);
            assertThat(noRoute.status()).as(noRoute.toString()).isEqualTo(404);
            ApiClient.Response wrongMethod = acme.send("DELETE", U + "/usage", large, Map.of());
            assertThat(wrongMethod.status()).as(wrongMethod.toString()).isEqualTo(405);
        }
    }

    @Test
    void R64_error_messages_never_echo_unbounded_input() {
        String longText = "x".repeat(100_000);
        // Within the server's 8 KB header limit, beyond which it answers 414 and closes the connection.
        String longUrlPart = "x".repeat(5_000);
        List<ApiClient.Response> responses = List.of(
                acme.get(U + "/usage?at=" + longUrlPart),
                acme.get(U + "/report-runs?limit=" + longUrlPart),
                acme.get(U + "/nothing/" + longUrlPart),
                acme.send("DELETE", U + "/usage/" + longUrlPart, null, Map.of()),
                acme.post(U + "/usage", "{\"records\": [{\"metric\": \"" + longText + "\", \"quantity\": 1,"
                        + " \"idempotency_key\": \"m\"}]}"),
                acme.post(U + "/usage", "{\"records\": [" + longText + "]}"),
                admin.put("/v1/plans/pro", "{\"limits\": {\"" + longText + "\": 1}}"),
                admin.put(U, "{\"plan_id\": \"" + longText + "\"}"));
        assertThat(responses).allSatisfy(response -> {
            assertThat(response.status()).as(response.toString()).isBetween(400, 499);
            assertThat(response.text().length()).as(response.status() + " " + response.error()).isLessThan(1_000);
            assertThat(response.error()).matches("[a-z][a-z0-9_]*");
        });
    }

    @Test
    void R64_a_plan_shows_its_metrics_by_display_names_and_a_bad_name_is_refused_naming_it_and_changing_nothing() {
        String named = "{\"name\": \"Pro\", \"limits\": {\"runs\": 5, \"exports\": 100, \"sessions\": 10},"
                + " \"display_names\": {\"exports\": \"Exports \u00fcber \\\"alles\\\" \ud83d\ude80\", \"api_calls.search\":"
                + " \"Searches\", \"runs\": null}}";
        JsonNode put = assertOk(admin.put("/v1/plans/pro", named)).json().get("display_names");
        assertThat(put.fieldNames()).toIterable().containsExactly("exports", "api_calls.search");
        assertThat(put.get("exports").asText()).isEqualTo("Exports \u00fcber \"alles\" \ud83d\ude80");
        assertThat(admin.get("/v1/plans/pro").json().get("display_names")).isEqualTo(put);
        assertThat(acme.get("/v1/plans/pro").json().get("display_names")).isEqualTo(put);
        assertThat(admin.get("/v1/plans").json().get("data")).filteredOn(plan -> plan.get("id").asText().equals("pro"))
                .singleElement().extracting(plan -> plan.get("display_names")).isEqualTo(put);

        String bad = "{\"name\": \"Pro\", \"display_names\": {\"runs\": \"Runs\", ";
        List<Case> cases = List.of(
                Case.of("PUT", "/v1/plans/pro", bad + "\"api_calls.search\": \"Sea\\u0007rches\", \"exports\": \"\"}}",
                        400, "invalid_display_name"),
                Case.of("PUT", "/v1/plans/pro", bad + "\"exports\": \"Line\\u2028break\"}}", 400,
                        "invalid_display_name"),
                Case.of("PUT", "/v1/plans/pro", bad + "\"exports\": \"   \"}}", 400, "invalid_display_name"),
                Case.of("PUT", "/v1/plans/pro", bad + "\"exports\": \"" + "x".repeat(65) + "\"}}", 400,
                        "invalid_display_name"),
                Case.of("PUT", "/v1/plans/pro", bad + "\"Exports!\": \"Exports\", \"sessions\": \"\"}}", 400,
                        "invalid_metric"),
                Case.of("PUT", "/v1/plans/pro", bad + "\"exports\": 5}}", 400, "invalid_field_type"),
                Case.of("PUT", "/v1/plans/pro", "{\"display_names\": [\"Runs\"]}", 400, "invalid_field_type"),
                Case.of("PUT", "/v1/plans/pro", "{\"display_name\": {\"runs\": \"Runs\"}}", 400, "unknown_field"));
        assertAllAnsweredAndNothingChanged(cases, 2_000);
        assertThat(admin.put("/v1/plans/pro", cases.get(0).body()).json().get("message").asText())
                .contains("display_names.api_calls.search").doesNotContain("exports");
        assertThat(admin.put("/v1/plans/pro", cases.get(3).body()).json().get("message").asText())
                .contains("display_names.exports").contains("64");
        assertThat(admin.put("/v1/plans/pro", cases.get(4).body()).json().get("message").asText())
                .contains("Exports!").doesNotContain("sessions");
        assertThat(admin.put("/v1/plans/pro", cases.get(5).body()).json().get("message").asText())
                .contains("display_names.exports");
        assertThat(admin.put("/v1/plans/pro", cases.get(7).body()).json().get("message").asText())
                .contains("display_names");
        assertThat(admin.get("/v1/plans/pro").json().get("display_names")).isEqualTo(put);

        JsonNode cleared = assertOk(admin.put("/v1/plans/pro", "{\"name\": \"Pro\", \"limits\": {\"runs\": 5}}")).json();
        assertThat(cleared.get("display_names").isEmpty()).isTrue();
    }

    private void assertAllAnsweredAndNothingChanged(List<Case> cases, long maxMillis) {
        JsonNode usageBefore = acme.get(U + "/usage").json();
        JsonNode billingBefore = acme.get(U + "/billing").json();
        JsonNode runsBefore = acme.get(U + "/report-runs?limit=100").json();
        JsonNode plansBefore = admin.get("/v1/plans").json();
        JsonNode modelsBefore = admin.get("/v1/models").json();
        SoftAssertions softly = new SoftAssertions();
        for (Case c : cases) {
            ApiClient client = c.path().startsWith("/v1/plans") || c.path().startsWith("/v1/models")
                    || c.path().equals(U) || c.path().endsWith("/reset")
                    || c.path().matches(".*/credits/(?!usage).*") ? admin : acme;
            Map<String, String> headers = new java.util.HashMap<>(c.headers());
            if (c.path().contains("/credits/")) {
                headers.put("Idempotency-Key", key());
            }
            long started = System.nanoTime();
            ApiClient.Response response = client.send(c.method(), c.path(), c.body(), headers);
            long millis = (System.nanoTime() - started) / 1_000_000;
            String label = c.method() + " " + c.path() + " " + c.body() + " " + c.headers();
            softly.assertThat(response.status()).as(label + " -> " + response).isEqualTo(c.status());
            softly.assertThat(response.contentType()).as(label).startsWith("application/json");
            softly.assertThat(response.text().length()).as(label).isLessThan(4_096);
            if (response.text().length() < 4_096) {
                softly.assertThat(response.error()).as(label + " -> " + response).isEqualTo(c.error());
                softly.assertThat(response.json().path("message").asText()).as(label).isNotBlank();
            }
            softly.assertThat(millis).as(label + " took").isLessThan(maxMillis);
        }
        softly.assertAll();
        assertThat(acme.get(U + "/usage").json()).isEqualTo(usageBefore);
        assertThat(acme.get(U + "/billing").json()).isEqualTo(billingBefore);
        assertThat(acme.get(U + "/report-runs?limit=100").json()).isEqualTo(runsBefore);
        assertThat(admin.get("/v1/plans").json()).isEqualTo(plansBefore);
        assertThat(admin.get("/v1/models").json()).isEqualTo(modelsBefore);
    }
}
