package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.application.Tally;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Walks every operation of the OpenAPI document against the real server, which serves exactly
 * those (checked below against its route table), and fails on a seam of the v1 API: a request body
 * whose unknown field is accepted, a list not answered as {@code {data, has_more, next_cursor}},
 * a server-made id without its type prefix, a {@code POST} that ignores {@code Idempotency-Key}
 * (R20).
 */
class ApiConsistencyTest extends ApiTestSupport {

    /** What an id made by the server looks like when it has lost its type prefix. */
    private static final Pattern BARE_ID = Pattern.compile("[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    /**
     * A user's standing, not a collection: every entitlement and allocation of the plan at once,
     * with the user and plan they belong to; there is no page of them to ask for.
     */
    private static final Set<String> SNAPSHOTS = Set.of("/v1/users/{user_id}/entitlements",
            "/v1/users/{user_id}/allocations");

    /** Usage batches carry an idempotency key on each record instead (R20). */
    private static final String USAGE = "/v1/users/{user_id}/usage";

    private final Map<String, String> ids = new HashMap<>();
    private final List<JsonNode> answers = new ArrayList<>();

    @Override
    protected Tally.Settings settings() {
        return Tally.Settings.DEFAULTS.allowingPrivateWebhooks(true);
    }

    private static JsonNode document() throws IOException {
        try (InputStream in = ApiConsistencyTest.class.getResourceAsStream("/dev/tally/adapter/http/openapi.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private JsonNode created(ApiClient.Response response) {
        JsonNode body = assertOk(response).json();
        answers.add(body);
        return body;
    }

    private static final String METER = "{\"source\": \"visits\", \"aggregation\": \"unique_count\", "
            + "\"unique_dimension\": \"visitor\"}";

    /** One of each thing a path can name, made through the API. */
    private void seed() {
        assertOk(admin.put("/v1/plans/pro", "{\"name\": \"Pro\", \"limits\": {\"runs\": 100, \"exports\": 100},"
                + " \"allocations\": {\"seats\": 10}}"));
        plan("free", "{}");
        ApiClient acme = user("acme", "pro");
        assertOk(admin.put("/v1/models/gpt-x", "{\"input_per_1k\": 0.003, \"output_per_1k\": 0.015}"));
        assertOk(admin.put("/v1/webhook-endpoints/ops", "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"*\"]}"));
        purchase(admin, "acme", 100);
        ids.put("record_id", assertOk(acme.post("/v1/users/acme/usage", "{\"records\": [{\"metric\": \"exports\", "
                + "\"quantity\": 81, \"idempotency_key\": \"seed\"}]}")).json().get("records").get(0).get("id").asText());
        // An override to read back (R73).
        assertOk(admin.put("/v1/users/acme/overrides", "{\"features\": {\"sso\": true}}"));
        ids.put("user_id", "acme");
        ids.put("plan_id", "pro");
        ids.put("model", "gpt-x");
        assertOk(admin.put("/v1/meters/seen_users", METER));
        ids.put("key", "seen_users");
        ids.put("metric", "seats");
        ids.put("txn", spend(acme, "acme", 5, "export"));
        ids.put("run_id", created(acme.post("/v1/users/acme/report-runs", null)).get("id").asText());
        ids.put("session_id", created(acme.post("/v1/users/acme/sessions", "{\"title\": \"t\"}")).get("id").asText());
        String hold = "{\"metric\": \"exports\", \"quantity\": 1}";
        ids.put("commit", created(acme.post("/v1/users/acme/reservations", hold)).get("id").asText());
        ids.put("release", created(acme.post("/v1/users/acme/reservations", hold)).get("id").asText());
        ids.put("code", created(admin.post("/v1/users/acme/activation-codes", null)).get("code").asText());
        ids.put("key_id", created(admin.post("/v1/users/acme/api-keys", null)).get("id").asText());
        ids.put("event", assertOk(admin.get("/v1/events")).json().get("data").get(0).get("id").asText());
    }

    private String path(String template) {
        Matcher matcher = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = switch (name) {
                case "reservation_id" -> ids.get(template.endsWith("/release") ? "release" : "commit");
                case "id" -> template.startsWith("/v1/events") ? ids.get("event") : "ops";
                default -> ids.get(name);
            };
            matcher.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    /** A body each write accepts, for the retry check; {@code null} for writes without one. */
    private String validBody(String template) {
        return switch (template.substring(template.lastIndexOf('/') + 1)) {
            case "plan" -> "{\"plan_id\": \"pro\"}";
            case "sessions" -> "{\"title\": \"again\"}";
            case "complete" -> template.contains("sessions") ? "{\"duration_seconds\": 60}" : "{\"status\": \"succeeded\"}";
            case "webhook-deliveries" -> "{\"delivered\": true}";
            case "purchases", "grants" -> "{\"amount\": 5}";
            case "usage" -> "{\"amount\": 1, \"operation\": \"export\"}";
            case "refunds" -> "{\"usage_transaction_id\": \"" + ids.get("txn") + "\", \"amount\": 1}";
            case "adjustments" -> "{\"amount\": 1, \"reason\": \"goodwill\"}";
            case "api-calls" -> "{\"call_type\": \"llm\", \"cost_usd\": 0.1}";
            case "{metric}" -> "{\"delta\": 1}";
            case "reservations" -> "{\"metric\": \"exports\", \"quantity\": 1}";
            case "commit" -> "{\"quantity\": 1}";
            case "void" -> "{\"reason\": \"entered twice\"}";
            default -> null;
        };
    }

    @Test
    void every_route_refuses_unknown_fields_answers_lists_in_one_shape_prefixes_its_ids_and_honours_retries()
            throws IOException {
        seed();
        JsonNode document = document();
        SoftAssertions softly = new SoftAssertions();
        List<String> documented = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = paths.next();
            String template = entry.getKey();
            entry.getValue().fieldNames().forEachRemaining(method -> {
                documented.add(method.toUpperCase() + " " + template);
                JsonNode operation = entry.getValue().get(method);
                if (!template.startsWith("/v1/")) {
                    return;
                }
                if (method.equals("get")) {
                    checkRead(softly, template, operation);
                } else {
                    checkWrite(softly, method.toUpperCase(), template, operation);
                }
            });
        }
        answers.forEach(answer -> checkIds(softly, answer, "$"));
        softly.assertAll();

        assertThat(server.routes().stream().map(route -> route.method() + " " + route.path()))
                .as("the routes served are the operations documented").containsExactlyInAnyOrderElementsOf(documented);
    }

    private void checkRead(SoftAssertions softly, String template, JsonNode operation) {
        String path = path(template);
        if (template.endsWith("/series")) {
            path += "?metric=exports";
        }
        if (template.endsWith("/export")) {
            // One line per record: NDJSON, read here as its first line.
            path += "?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z";
        }
        ApiClient.Response response = admin.get(path);
        softly.assertThat(response.status()).as("GET " + path + " -> " + response).isEqualTo(200);
        JsonNode body = response.json();
        answers.add(body);
        String schema = operation.at("/responses/200/content/application~1json/schema/$ref").asText();
        boolean list = schema.endsWith("List") && !SNAPSHOTS.contains(template);
        if (!list) {
            return;
        }
        softly.assertThat(body.path("data").isArray()).as("GET " + path + " answers data[]: " + body).isTrue();
        softly.assertThat(body.path("has_more").isBoolean()).as("GET " + path + " answers has_more").isTrue();
        softly.assertThat(body.has("next_cursor") && (body.get("next_cursor").isNull()
                || body.get("next_cursor").isTextual())).as("GET " + path + " answers next_cursor").isTrue();
        softly.assertThat(body.path("has_more").asBoolean()).as("has_more of " + path)
                .isEqualTo(!body.path("next_cursor").isNull());
        List<String> names = new ArrayList<>();
        operation.path("parameters").forEach(parameter -> names.add(parameter.path("name").asText()));
        softly.assertThat(names).as("GET " + template + " pages by limit and cursor").contains("limit", "cursor");
        JsonNode first = admin.get(path + "?limit=1").json();
        if (first.path("has_more").asBoolean()) {
            JsonNode second = assertOk(admin.get(path + "?limit=1&cursor=" + first.get("next_cursor").asText())).json();
            softly.assertThat(second.get("data")).as("the next page of " + path).isNotEqualTo(first.get("data"));
        }
    }

    private void checkWrite(SoftAssertions softly, String method, String template, JsonNode operation) {
        String path = path(template);
        String label = method + " " + template;
        ApiClient.Response unknown = admin.send(method, path, "{\"zz_unknown_field\": 1}",
                Map.of("Idempotency-Key", key()));
        softly.assertThat(unknown.status()).as(label + " with an unknown field -> " + unknown).isEqualTo(400);
        softly.assertThat(unknown.error()).as(label + " with an unknown field").isEqualTo("unknown_field");
        softly.assertThat(unknown.json().path("field").asText()).as(label).isEqualTo("zz_unknown_field");
        if (!method.equals("POST") || template.equals(USAGE)) {
            return;
        }
        boolean declared = false;
        for (JsonNode parameter : operation.path("parameters")) {
            declared |= parameter.path("name").asText().equals(RequestFields.IDEMPOTENCY_KEY);
        }
        softly.assertThat(declared).as(label + " documents Idempotency-Key").isTrue();
        String body = validBody(template);
        String retryKey = key();
        ApiClient.Response first = admin.send(method, path, body, Map.of("Idempotency-Key", retryKey));
        ApiClient.Response retry = admin.send(method, path, body, Map.of("Idempotency-Key", retryKey));
        softly.assertThat(first.status()).as(label + " -> " + first).isBetween(200, 299);
        softly.assertThat(retry.status()).as(label + " retried -> " + retry).isEqualTo(first.status());
        if (first.status() < 300) {
            answers.add(first.json());
            JsonNode again = retry.json();
            if (template.endsWith("/api-keys")) {
                // Its plaintext is shown once (R61): the retry names the same key.
                softly.assertThat(again.get("id")).as(label + " retried").isEqualTo(first.json().get("id"));
            } else {
                softly.assertThat(again).as(label + " retried answers as the first did").isEqualTo(first.json());
            }
        }
        String other = template.endsWith("/plan") ? "{\"plan_id\": \"free\"}" : otherNumber(body);
        if (other != null) {
            // The same key with another request is a mistake the server names rather than a second write.
            ApiClient.Response reused = admin.send(method, path, other, Map.of("Idempotency-Key", retryKey));
            softly.assertThat(reused.error()).as(label + " with the key of another request -> " + reused)
                    .isEqualTo("idempotency_key_reused");
        }
    }

    /** {@code body} with its first number one more, or {@code null} when it has none. */
    private static String otherNumber(String body) {
        Matcher number = Pattern.compile("\\d+").matcher(body == null ? "" : body);
        return number.find() ? body.substring(0, number.start()) + (Long.parseLong(number.group()) + 1)
                + body.substring(number.end()) : null;
    }

    /** Every server-made id in an answer carries its type prefix. */
    private static void checkIds(SoftAssertions softly, JsonNode node, String where) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> checkIds(softly, field.getValue(), where + "." + field.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkIds(softly, node.get(i), where + "[" + i + "]");
            }
        } else if (node.isTextual() && (where.endsWith(".id") || where.endsWith("_id"))) {
            softly.assertThat(BARE_ID.matcher(node.asText()).matches())
                    .as(where + " = " + node.asText() + " has no type prefix").isFalse();
        }
    }
}
