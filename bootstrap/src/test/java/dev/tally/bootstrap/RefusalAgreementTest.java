package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.adapter.http.ApiClient;
import dev.tally.adapter.http.FieldOrderScenarios;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A refused body gets the same answer from every storage on every run (R12, R64): bodies with
 * several invalid values of every kind go to {@code tally serve} in three processes of their own
 * (in memory, H2 and PostgreSQL; PostgreSQL only with {@code TALLY_TEST_POSTGRES_URL}), each with
 * its own hash seeds, and every answer must be the same, byte for byte. Where the values are the
 * entries of one map or list (a plan's limits and allocations, a batch's records), the answer names
 * the first offending one in the order sent, and each body goes out in every rotation of its
 * entries, so that no iteration order of a hash map can pass by luck. Where they are two top-level
 * fields of a body ({@link FieldOrderScenarios#pairs()}), each order gets the refusal of the field
 * written first.
 */
class RefusalAgreementTest {

    private static final String ADMIN_KEY = "agreement-admin-key-0123456789";
    private static final String U = "/v1/users/acme";

    private static final Map<String, ServerProcess> SERVERS = new LinkedHashMap<>();
    private static final Map<String, ApiClient> ADMINS = new LinkedHashMap<>();
    private static final Map<String, ApiClient> USERS = new LinkedHashMap<>();
    private static final Map<String, String> RUNS = new LinkedHashMap<>();
    private static TestDatabases.PostgresSchema schema;

    @BeforeAll
    static void startServers() throws Exception {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("memory", OpenStorage.MEMORY);
        urls.put("h2", TestDatabases.h2Url());
        String postgres = System.getenv(TestDatabases.POSTGRES_URL_VARIABLE);
        if (postgres == null || postgres.isBlank()) {
            System.out.println("RefusalAgreementTest: PostgreSQL left out: set " + TestDatabases.POSTGRES_URL_VARIABLE
                    + " to compare it too");
        } else {
            schema = TestDatabases.postgresSchema();
            urls.put("postgres", schema.url());
        }
        for (Map.Entry<String, String> url : urls.entrySet()) {
            ServerProcess server = ServerProcess.start(url.getValue(), ADMIN_KEY);
            SERVERS.put(url.getKey(), server);
            ApiClient admin = new ApiClient(server.port, ADMIN_KEY);
            ok(admin.put("/v1/plans/pro", "{\"name\": \"Pro\", \"limits\": {\"runs\": 5, \"exports\": 100},"
                    + " \"allocations\": {\"seats\": 3}}"));
            ok(admin.put(U, "{\"plan_id\": \"pro\"}"));
            ADMINS.put(url.getKey(), admin);
            USERS.put(url.getKey(), admin.withKey(ok(admin.post(U + "/api-keys", null)).json().get("key").asText()));
            RUNS.put(url.getKey(), ok(admin.post(U + "/report-runs", "{}")).json().get("id").asText());
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (ServerProcess server : SERVERS.values()) {
            server.stop();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void R64_a_plan_with_several_fractional_limits_names_the_first_one_sent_on_every_storage() {
        assertEveryRotationNamesTheFirst("limits", List.of("\"api_calls.video\": 99999999999.999999",
                "\"api_calls.search\": 0.5", "\"runs\": 1.25", "\"sessions\": 7.5", "\"activation_codes\": 0.000001",
                "\"session_minutes\": 2.75"), first -> "400 {\"error\":\"invalid_limit\",\"message\":\"" + first
                + " counts whole units; its limit cannot be a fraction\"}");
    }

    @Test
    void R72_a_plan_with_several_fractional_allocations_names_the_first_one_sent_on_every_storage() {
        assertEveryRotationNamesTheFirst("allocations", List.of("\"seats\": 1.5", "\"projects\": 2.5",
                "\"storage_gb\": 0.5", "\"gpu_hours\": 3.25", "\"workspaces\": 0.125"),
                first -> "400 {\"error\":\"invalid_limit\",\"message\":\"allocation " + first
                        + " counts whole units; its limit cannot be ");
    }

    /** A plan whose {@code field} holds {@code entries}, sent in every rotation, is refused naming the first. */
    private static void assertEveryRotationNamesTheFirst(String field, List<String> entries,
                                                         UnaryOperator<String> answerFor) {
        for (List<String> sent : rotations(entries)) {
            String first = sent.get(0).substring(1, sent.get(0).indexOf('"', 1));
            String answer = agreed("PUT", "/v1/plans/fractions", "{\"name\": \"F\", \"" + field + "\": {"
                    + String.join(", ", sent) + "}}");
            assertThat(answer).as("%s sent as %s", field, sent).startsWith(answerFor.apply(first));
        }
    }

    @Test
    void R64_a_limit_of_the_wrong_type_and_a_fractional_one_are_named_in_the_order_sent() {
        assertThat(agreed("PUT", "/v1/plans/mixed", "{\"limits\": {\"runs\": 1.5, \"exports\": \"lots\"}}"))
                .startsWith("400 {\"error\":\"invalid_limit\",\"message\":\"runs counts whole units");
        assertThat(agreed("PUT", "/v1/plans/mixed", "{\"limits\": {\"exports\": \"lots\", \"runs\": 1.5}}"))
                .startsWith("400 {\"error\":\"invalid_field_type\"").endsWith(",\"field\":\"limits.exports\"}");
        assertThat(agreed("PUT", "/v1/plans/mixed", "{\"allocations\": {\"seats\": 1.5, \"projects\": true}}"))
                .startsWith("400 {\"error\":\"invalid_limit\",\"message\":\"allocation seats counts whole units");
        assertThat(agreed("PUT", "/v1/plans/mixed", "{\"allocations\": {\"projects\": true, \"seats\": 1.5}}"))
                .startsWith("400 {\"error\":\"invalid_field_type\"").endsWith(",\"field\":\"allocations.projects\"}");
        assertThat(agreed("GET", "/v1/plans/mixed", null)).startsWith("404 ");
    }

    @Test
    void R12_a_batch_with_several_invalid_records_names_the_first_one_sent_on_every_storage() {
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("metric", "{\"quantity\": 1, \"idempotency_key\": \"%s\"}");
        invalid.put("quantity", "{\"metric\": \"runs\", \"quantity\": 1.5, \"idempotency_key\": \"%s\"}");
        invalid.put("idempotency_key", "{\"metric\": \"exports\", \"quantity\": 1}");
        invalid.put("occurred_at", "{\"metric\": \"exports\", \"quantity\": 1, \"occurred_at\": \"yesterday\","
                + " \"idempotency_key\": \"%s\"}");
        invalid.put("dimensions", "{\"metric\": \"exports\", \"quantity\": 1, \"dimensions\": {\"a\": null},"
                + " \"idempotency_key\": \"%s\"}");
        String valid = "{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"valid\"}";
        for (List<String> fields : rotations(new ArrayList<>(invalid.keySet()))) {
            List<String> records = new ArrayList<>(List.of(valid));
            for (String field : fields) {
                records.add(invalid.get(field).replace("%s", "k-" + field));
            }
            String answer = agreed("POST", U + "/usage", "{\"records\": [" + String.join(", ", records) + "]}");
            assertThat(answer).as("records sent as %s", records)
                    .startsWith("400 ").endsWith(",\"field\":\"records[1]." + fields.get(0) + "\"}");
        }
        // What the domain refuses counts in request order too: the first record is the one named.
        assertThat(agreed("POST", U + "/usage", "{\"records\": [" + valid + ", {\"metric\": \"exports\", \"quantity\":"
                + " -1, \"idempotency_key\": \"neg\"}, {\"quantity\": 1, \"idempotency_key\": \"nometric\"}]}"))
                .startsWith("400 {\"error\":\"invalid_quantity\"");
        assertThat(agreed("POST", U + "/usage", "{\"records\": [{\"metric\": \"exports\", \"quantity\": 1,"
                + " \"idempotency_key\": \"dims\", \"dimensions\": {\"" + "d".repeat(65) + "\": \"x\"}}, {\"metric\":"
                + " \"runs\", \"quantity\": 0.5, \"idempotency_key\": \"frac\"}]}"))
                .startsWith("400 {\"error\":\"invalid_dimensions\"");
        assertThat(agreed("GET", U + "/usage", null)).as("nothing was recorded").contains("\"metric\":\"exports\","
                + "\"used\":0");
    }

    @Test
    void R64_every_other_body_with_several_invalid_values_gets_one_answer_from_every_storage() {
        List<String[]> bodies = List.of(
                new String[] {"PUT", "/v1/users/bob", "{\"plan_id\": \"pro\", \"billing\": {\"cycle\": \"weekly\","
                        + " \"anchor\": \"yesterday\", \"time_zone\": \"Mars/Olympus\"}}"},
                new String[] {"PUT", "/v1/users/bob", "{\"billing\": {\"time_zone\": \"Mars/Olympus\", \"anchor\":"
                        + " \"1600-01-01T00:00:00Z\"}, \"plan_id\": \"nope\"}"},
                new String[] {"PUT", "/v1/plans/bad", "{\"name\": \"" + "n".repeat(201) + "\", \"limits\": {\"runs\":"
                        + " -1}, \"warning_threshold_percent\": 500, \"max_metrics\": -3, \"alert_thresholds_percent\":"
                        + " [0, 200], \"max_file_size_mb\": -1}"},
                new String[] {"PUT", "/v1/models/m", "{\"input_per_1k\": -1, \"output_per_1k\": 1e999999999}"},
                new String[] {"POST", U + "/reservations", "{\"metric\": \"Runs!\", \"quantity\": -2, \"ttl_seconds\":"
                        + " 0}"},
                new String[] {"POST", U + "/sessions", "{\"title\": \"" + "t".repeat(300) + "\", \"file_size_mb\":"
                        + " -5}"},
                new String[] {"POST", U + "/api-calls", "{\"call_type\": \"\", \"cost_usd\": -1, \"status_code\": 99,"
                        + " \"latency_ms\": -4, \"occurred_at\": \"soon\"}"},
                new String[] {"POST", U + "/allocations/seats", "{\"delta\": 0.5}"},
                new String[] {"PUT", U + "/allocations/Seats", "{\"value\": -1.5}"},
                new String[] {"POST", U + "/activation-codes", "{\"max_uses\": -1}"},
                new String[] {"PUT", "/v1/webhook-endpoints/w", "{\"url\": \"http://127.0.0.1/x\", \"events\":"
                        + " [\"nope\", \"also.nope\"]}"},
                new String[] {"GET", U + "/entitlements/Runs!?quantity=1e5", null},
                new String[] {"GET", U + "/usage/series?metric=Bad!&granularity=week&at=never", null});
        SoftAssertions softly = new SoftAssertions();
        for (String[] body : bodies) {
            String answer = agreed(body[0], body[1], body[2]);
            softly.assertThat(answer).as("%s %s %s", (Object[]) body).startsWith("4").doesNotStartWith("429");
        }
        softly.assertAll();
    }

    @Test
    void R64_of_two_invalid_top_level_fields_the_one_written_first_is_named_on_every_storage() {
        SoftAssertions softly = new SoftAssertions();
        for (FieldOrderScenarios.Pair pair : FieldOrderScenarios.pairs()) {
            for (boolean swapped : List.of(false, true)) {
                String body = pair.body(swapped);
                String answer = agreed(pair.method(), pair.path(), body, ADMINS);
                softly.assertThat(answer).as("%s %s %s", pair.method(), pair.path(), body).startsWith("400 ")
                        .contains(pair.named(swapped)).doesNotContain(pair.unnamed(swapped));
            }
        }
        softly.assertAll();
    }

    /** The one answer every storage gives: {@code "<status> <body>"}; fails naming each when they differ. */
    private static String agreed(String method, String path, String body) {
        return agreed(method, path, body, path.startsWith(U) ? USERS : ADMINS);
    }

    /** The one answer every storage gives to {@code clients}; the path's {@code {run}} is a run of that storage. */
    private static String agreed(String method, String path, String body, Map<String, ApiClient> clients) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String storage : SERVERS.keySet()) {
            ApiClient.Response response = clients.get(storage).send(method,
                    path.replace(FieldOrderScenarios.RUN, RUNS.get(storage)), body,
                    Map.of("Idempotency-Key", "agreement"));
            answers.put(storage, response.status() + " " + response.text());
        }
        assertThat(answers.values().stream().distinct().toList()).as("%s %s %s on %s", method, path, body, answers)
                .hasSize(1);
        return answers.values().iterator().next();
    }

    /** Every rotation of {@code items}, each one first once. */
    private static List<List<String>> rotations(List<String> items) {
        List<List<String>> all = new ArrayList<>();
        for (int shift = 0; shift < items.size(); shift++) {
            List<String> rotated = new ArrayList<>(items.subList(shift, items.size()));
            rotated.addAll(items.subList(0, shift));
            all.add(rotated);
        }
        return all;
    }

    private static ApiClient.Response ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 201);
        return response;
    }
}
