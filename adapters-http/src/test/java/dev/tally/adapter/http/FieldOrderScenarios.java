package dev.tally.adapter.http;

import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Of several invalid fields of a body, the one the client wrote first is named (R64):
 * each body goes out with its two invalid fields in both orders, and each order gets the 400 of its
 * own first field, whatever order the server would check them in.
 */
public abstract class FieldOrderScenarios extends ApiTestSupport {

    private static final String U = "/v1/users/acme";

    /** Stands in a path for the id of a report run of the user. */
    public static final String RUN = "{run}";

    /**
     * Two invalid fields of one body, each as {@code "name": value}, with the text its refusal
     * carries (the field it names, or the words of its message); {@code shape} is the body with
     * {@code %s} where the two go.
     */
    public record Pair(String method, String path, String shape, String first, String firstNamed, String second,
                       String secondNamed) {

        /** Two top-level fields. */
        Pair(String method, String path, String first, String firstNamed, String second, String secondNamed) {
            this(method, path, "{%s}", first, firstNamed, second, secondNamed);
        }

        /** The body with both fields, the second one first when {@code swapped}. */
        public String body(boolean swapped) {
            return shape.replace("%s", swapped ? second + ", " + first : first + ", " + second);
        }

        /** What the refusal of {@link #body} carries: that of the field written first. */
        public String named(boolean swapped) {
            return swapped ? secondNamed : firstNamed;
        }

        /** What the refusal of {@link #body} must not carry: that of the field written last. */
        public String unnamed(boolean swapped) {
            return swapped ? firstNamed : secondNamed;
        }
    }

    private String runId;

    @BeforeEach
    void acme() {
        plan("pro", "{\"runs\": 5, \"exports\": 100, \"sessions\": 10}");
        ApiClient acme = user("acme", "pro");
        runId = assertOk(acme.post(U + "/report-runs", "{}")).json().get("id").asText();
    }

    /** Every body with more than one field that can be invalid on its own. */
    public static List<Pair> pairs() {
        return List.of(
                new Pair("PUT", "/v1/plans/bad", "\"warning_threshold_percent\": 0",
                        "warning_threshold_percent must be 1-100", "\"limits\": {\"runs\": -1}",
                        "a limit cannot be negative"),
                new Pair("PUT", "/v1/plans/bad", "\"name\": \"" + "n".repeat(201) + "\"",
                        "plan name is longer than 200", "\"max_file_size_mb\": -1", "max_file_size_mb"),
                new Pair("PUT", "/v1/plans/bad", "\"alert_thresholds_percent\": [0]", "alert_thresholds_percent",
                        "\"allocations\": {\"seats\": 1.5}", "seats"),
                new Pair("PUT", "/v1/plans/bad", "\"low_balance_credits\": -1", "low_balance_credits",
                        "\"max_metrics\": -3", "max_metrics"),
                new Pair("PUT", "/v1/users/bob", "\"plan_id\": \"no such!\"", "plan id must be",
                        "\"billing\": {\"time_zone\": \"Mars/Olympus\"}", "Mars/Olympus"),
                new Pair("PUT", "/v1/users/bob", "\"billing\": {\"anchor\": \"yesterday\"}", "billing.anchor",
                        "\"plan_id\": \"\"", "plan id must be"),
                new Pair("PUT", "/v1/users/bob", "{\"plan_id\": \"pro\", \"billing\": {%s}}",
                        "\"time_zone\": \"Mars/Olympus\"", "Mars/Olympus", "\"anchor\": \"yesterday\"",
                        "billing.anchor"),
                new Pair("PUT", "/v1/users/bob", "{\"billing\": {%s}, \"plan_id\": \"no such!\"}",
                        "\"cycle\": \"weekly\"", "weekly", "\"time_zone\": \"Mars/Olympus\"", "Mars/Olympus"),
                new Pair("POST", U + "/sessions", "\"title\": \"" + "t".repeat(501) + "\"", "title must be",
                        "\"file_size_mb\": -5", "file_size_mb"),
                new Pair("POST", U + "/reservations", "\"metric\": \"Runs!\"", "Runs!",
                        "\"ttl_seconds\": 0", "ttl_seconds"),
                new Pair("POST", U + "/reservations", "\"quantity\": -2", "quantity must be positive",
                        "\"ttl_seconds\": 999999999", "ttl_seconds"),
                new Pair("POST", U + "/api-calls", "\"call_type\": \"\"", "call_type", "\"cost_usd\": -1",
                        "cost_usd"),
                new Pair("POST", U + "/api-calls", "\"status_code\": 99", "status_code", "\"latency_ms\": -4",
                        "latency_ms"),
                new Pair("POST", U + "/api-calls", "\"occurred_at\": \"soon\"", "occurred_at",
                        "\"provider\": \"\"", "provider"),
                new Pair("POST", U + "/api-calls", "\"model\": \"" + "m".repeat(129) + "\"", "model is longer",
                        "\"call_type\": \"Bad!\"", "call_type"),
                new Pair("POST", U + "/report-runs", "\"repository_id\": \"" + "r".repeat(300) + "\"",
                        "repository_id", "\"configuration_id\": \"" + "c".repeat(300) + "\"", "configuration_id"),
                new Pair("POST", U + "/report-runs/" + RUN + "/complete", "\"status\": \"running\"", "invalid_status",
                        "\"cost_usd\": -1", "cost_usd"),
                new Pair("POST", U + "/report-runs/" + RUN + "/complete", "\"tokens_input\": -1",
                        "counts cannot be negative",
                        "\"error_code\": \"" + "e".repeat(101) + "\"", "error_code or error_message"),
                new Pair("PUT", "/v1/models/m", "\"input_per_1k\": -1", "prices cannot be negative",
                        "\"output_per_1k\": 1e999999999", "output_per_1k"),
                new Pair("PUT", "/v1/webhook-endpoints/w", "\"url\": \"ftp://example.com/x\"", "http or https",
                        "\"events\": [\"nope\"]", "nope"),
                new Pair("POST", U + "/credits/usage", "\"amount\": 0", "positive whole number",
                        "\"operation\": \"" + "o".repeat(101) + "\"", "operation or reason is too long"),
                new Pair("POST", U + "/credits/adjustments", "\"amount\": 9000000000000000000",
                        "amount", "\"reason\": \"" + "r".repeat(501) + "\"", "operation or reason is too long"));
    }

    @Test
    void R64_of_two_invalid_top_level_fields_the_first_one_written_is_named() {
        SoftAssertions softly = new SoftAssertions();
        for (Pair pair : pairs()) {
            for (boolean swapped : List.of(false, true)) {
                String body = pair.body(swapped);
                String path = pair.path().replace(RUN, runId);
                ApiClient.Response response = admin.send(pair.method(), path, body,
                        Map.of("Idempotency-Key", "order"));
                softly.assertThat(response.status()).as("%s %s %s: %s", pair.method(), pair.path(), body, response)
                        .isEqualTo(400);
                softly.assertThat(response.text()).as("%s %s %s", pair.method(), pair.path(), body)
                        .contains(pair.named(swapped)).doesNotContain(pair.unnamed(swapped));
            }
        }
        softly.assertAll();
    }
}
