package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Voids (R92) and exports (R94) over HTTP, with their refusals. */
class VoidAndExportHttpTest extends ApiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RANGE = "from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z";

    private ApiClient acme;
    private ApiClient bob;
    private List<String> ids;

    @BeforeEach
    void twoUsersWithUsage() {
        plan("free", "{\"exports\": 100}");
        acme = user("acme", "free");
        bob = user("bob", "free");
        JsonNode recorded = assertOk(acme.post("/v1/users/acme/usage", "{\"records\": ["
                + "{\"metric\": \"exports\", \"quantity\": 5, \"idempotency_key\": \"k1\", \"occurred_at\": \"2026-10-15T10:00:00Z\"},"
                + "{\"metric\": \"exports\", \"quantity\": 7, \"idempotency_key\": \"k/2, \\\"odd\\\"\", \"occurred_at\": \"2026-10-15T11:00:00Z\"},"
                + "{\"metric\": \"exports\", \"quantity\": 2, \"idempotency_key\": \"k3\", \"occurred_at\": \"2026-10-15T09:00:00Z\"}]}"))
                .json();
        ids = new ArrayList<>();
        recorded.get("records").forEach(record -> ids.add(record.get("id").asText()));
        assertOk(bob.post("/v1/users/bob/usage", "{\"records\": [{\"metric\": \"exports\", \"quantity\": 1, "
                + "\"idempotency_key\": \"b1\", \"occurred_at\": \"2026-10-15T08:00:00Z\"}]}"));
    }

    private ApiClient.Response voidRecord(String user, String id) {
        return admin.post("/v1/users/" + user + "/usage/" + id + "/void", "{\"reason\": \"entered twice\"}");
    }

    private double used() {
        return acme.get("/v1/users/acme/usage").json().get("metrics").findValue("used").asDouble();
    }

    @Test
    void R92_a_void_takes_the_record_back_at_once_and_voiding_again_answers_the_same() {
        assertThat(ids).hasSize(3).allSatisfy(id -> assertThat(id).startsWith("rec_"));

        JsonNode voided = assertOk(voidRecord("acme", ids.get(1))).json();
        ApiClient.Response again = voidRecord("acme", ids.get(1));

        assertThat(voided.get("id").asText()).isEqualTo(ids.get(1).replace("rec_", "void_"));
        assertThat(voided.get("record_id").asText()).isEqualTo(ids.get(1));
        assertThat(voided.get("quantity").asInt()).isEqualTo(7);
        assertThat(voided.get("reason").asText()).isEqualTo("entered twice");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(voided);
        assertThat(used()).isEqualTo(7.0);
    }

    @Test
    void R92_R60_refusals_are_distinct_and_clear() {
        String voidId = assertOk(voidRecord("acme", ids.get(0))).json().get("id").asText();

        assertError(voidRecord("acme", voidId), 409, "record_is_a_void");
        assertError(voidRecord("acme", "rec_bm9wZQ"), 404, "record_not_found");
        assertError(voidRecord("acme", "garbage"), 404, "record_not_found");
        assertError(voidRecord("bob", ids.get(1)), 404, "record_not_found");
        assertError(acme.post("/v1/users/acme/usage/" + ids.get(1) + "/void", "{\"reason\": \"mine\"}"), 403,
                "forbidden");
        assertError(admin.post("/v1/users/acme/usage/" + ids.get(1) + "/void", "{}"), 400, "missing_field");
        assertThat(used()).isEqualTo(9.0);
    }

    @Test
    void R92_a_record_whose_period_ended_before_the_late_event_window_is_final() {
        clock.advance(Duration.ofDays(60));

        assertError(voidRecord("acme", ids.get(0)), 409, "period_closed");
    }

    @Test
    void R94_an_export_streams_records_and_voids_oldest_first_and_resumes_from_a_lines_cursor() throws Exception {
        assertOk(voidRecord("acme", ids.get(1)));

        List<JsonNode> lines = ndjson(assertOk(acme.get("/v1/users/acme/usage/export?" + RANGE)));
        List<JsonNode> rest = ndjson(assertOk(acme.get("/v1/users/acme/usage/export?" + RANGE + "&cursor="
                + lines.get(0).get("cursor").asText())));

        assertThat(lines).extracting(line -> line.get("kind").asText() + " "
                        + line.get(line.has("record_id") ? "record_id" : "idempotency_key").asText())
                .containsExactly("record k3", "record k1", "record k/2, \"odd\"", "void " + ids.get(1));
        assertThat(lines.get(0).get("dimensions").isObject()).isTrue();
        assertThat(lines.get(3).get("reason").asText()).isEqualTo("entered twice");
        assertThat(rest).isEqualTo(lines.subList(1, 4));
    }

    @Test
    void R94_csv_on_request_everyone_for_the_admin_and_the_own_user_only_for_a_user_key() {
        ApiClient.Response csv = acme.send("GET", "/v1/users/acme/usage/export?" + RANGE, null,
                Map.of("Accept", "text/csv"));
        String everyone = assertOk(admin.get("/v1/usage/export?" + RANGE)).text();

        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.text().split("\r\n")).hasSize(4);
        assertThat(csv.text()).startsWith("kind,id,user_id");
        assertThat(csv.text()).contains("\"k/2, \"\"odd\"\"\"");
        assertThat(everyone).contains("\"user_id\":\"bob\"").contains("\"user_id\":\"acme\"");
        assertError(acme.get("/v1/users/bob/usage/export?" + RANGE), 404, "user_not_found");
        assertError(acme.get("/v1/usage/export?" + RANGE), 403, "forbidden");
    }

    @Test
    void R94_a_range_over_ten_years_a_malformed_cursor_or_a_missing_bound_is_400() {
        assertError(admin.get("/v1/usage/export?from=2010-01-01T00:00:00Z&to=2026-01-01T00:00:00Z"), 400,
                "export_range_too_long");
        assertError(admin.get("/v1/usage/export?" + RANGE + "&cursor=nonsense"), 400, "invalid_cursor");
        assertError(admin.get("/v1/usage/export?" + RANGE + "&cursor=ZTk5OTk5OTk5OTk5OTk5OTk5OTk5OTkuMQ"), 400,
                "invalid_cursor");
        assertError(admin.get("/v1/usage/export?from=2026-10-01T00:00:00Z"), 400, "missing_field");
        assertError(admin.get("/v1/usage/export?from=2026-11-01T00:00:00Z&to=2026-10-01T00:00:00Z"), 400,
                "invalid_range");
    }

    private static List<JsonNode> ndjson(ApiClient.Response response) throws Exception {
        assertThat(response.contentType()).startsWith("application/x-ndjson");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : response.text().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static void assertError(ApiClient.Response response, int status, String error) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.error()).as(response.toString()).isEqualTo(error);
    }
}
