package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Meters over HTTP (R80–R83): defined by the operator, refused clearly when bad or in use,
 * limited by plans and enforced with R12's 403, shown with the other metrics and per group.
 */
public abstract class MeterScenarios extends ApiTestSupport {

    /** A suffix no other test uses, since meters are shared by the users of one store. */
    private final String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String source = "events_" + tag;

    private String meter(String name, String body) {
        String key = name + "_" + tag;
        assertOk(admin.put("/v1/meters/" + key, body.replace("SOURCE", source)));
        return key;
    }

    private String record(String quantity, String dimensions, boolean enforce) {
        return "{\"records\": [{\"metric\": \"" + source + "\", \"quantity\": " + quantity + ", \"idempotency_key\": \""
                + key() + "\", \"dimensions\": " + dimensions + "}], \"enforce\": " + enforce + "}";
    }

    @Test
    void R81_a_meter_is_defined_read_back_and_listed() {
        String key = meter("gpt_tokens", "{\"source\": \"SOURCE\", \"aggregation\": \"sum\", "
                + "\"filter\": {\"model\": [\"gpt-4o\"]}, \"group_by\": [\"model\"], \"name\": \"GPT tokens\"}");
        JsonNode read = assertOk(admin.get("/v1/meters/" + key)).json();
        assertThat(read.get("key").asText()).isEqualTo(key);
        assertThat(read.get("source").asText()).isEqualTo(source);
        assertThat(read.get("aggregation").asText()).isEqualTo("sum");
        assertThat(read.get("filter").get("model").get(0).asText()).isEqualTo("gpt-4o");
        assertThat(read.get("group_by").get(0).asText()).isEqualTo("model");
        assertThat(read.get("unique_dimension").isNull()).isTrue();
        JsonNode list = assertOk(admin.get("/v1/meters")).json();
        List<String> keys = new ArrayList<>();
        list.get("data").forEach(m -> keys.add(m.get("key").asText()));
        assertThat(keys).contains(key);
        assertThat(list.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void R81_bad_definitions_are_clear_4xx_and_store_nothing() {
        String k = "bad_" + tag;
        assertThat(admin.put("/v1/meters/" + k, "{\"source\": \"" + source + "\", \"aggregation\": \"median\"}")
                .error()).isEqualTo("unknown_aggregation");
        assertThat(admin.put("/v1/meters/" + k, "{\"source\": \"" + source + "\", \"aggregation\": \"unique_count\"}")
                .error()).isEqualTo("unique_dimension_required");
        assertThat(admin.put("/v1/meters/runs", "{\"source\": \"" + source + "\", \"aggregation\": \"count\"}")
                .error()).isEqualTo("meter_key_reserved");
        assertThat(admin.put("/v1/meters/" + k, "{\"source\": \"" + source + "\", \"aggregation\": \"sum\", "
                + "\"group_by\": [\"a\", \"b\", \"c\", \"d\"]}").error()).isEqualTo("invalid_group_by");
        assertThat(admin.put("/v1/meters/" + k, "{\"source\": \"" + source + "\", \"aggregation\": \"sum\", "
                + "\"colour\": 1}").error()).isEqualTo("unknown_field");
        ApiClient.Response missing = admin.get("/v1/meters/" + k);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("meter_not_found");
    }

    @Test
    void R81_a_definition_cannot_change_once_the_meter_recorded_usage() {
        String key = meter("peak", "{\"source\": \"SOURCE\", \"aggregation\": \"max\"}");
        plan("pro", "{}");
        ApiClient acme = user("acme", "pro");
        assertOk(acme.post("/v1/users/acme/usage", record("3", "{}", false)));
        ApiClient.Response changed = admin.put("/v1/meters/" + key, "{\"source\": \"" + source
                + "\", \"aggregation\": \"latest\"}");
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.error()).isEqualTo("meter_in_use");
        assertThat(admin.get("/v1/meters/" + key).json().get("aggregation").asText()).isEqualTo("max");
        ApiClient.Response direct = acme.post("/v1/users/acme/usage", "{\"records\": [{\"metric\": \"" + key
                + "\", \"quantity\": 1, \"idempotency_key\": \"" + key() + "\"}]}");
        assertThat(direct.status()).isEqualTo(400);
        assertThat(direct.error()).isEqualTo("metric_is_meter");
    }

    @Test
    void R82_a_unique_count_limit_refuses_a_new_value_with_R12s_403_and_accepts_a_seen_one() {
        String key = meter("active_users", "{\"source\": \"SOURCE\", \"aggregation\": \"unique_count\", "
                + "\"unique_dimension\": \"end_user\"}");
        plan("pro", "{\"" + key + "\": 2}");
        ApiClient acme = user("acme", "pro");
        assertOk(acme.post("/v1/users/acme/usage", record("1", "{\"end_user\": \"ann\"}", true)));
        assertOk(acme.post("/v1/users/acme/usage", record("1", "{\"end_user\": \"bob\"}", true)));

        JsonNode denied = assertLimitExceeded(acme.post("/v1/users/acme/usage",
                record("1", "{\"end_user\": \"cid\"}", true)), key);
        assertThat(denied.get("current_usage").decimalValue()).isEqualByComparingTo("2");
        assertThat(denied.get("limit").decimalValue()).isEqualByComparingTo("2");
        assertThat(denied.get("requested").decimalValue()).isEqualByComparingTo("1");
        assertOk(acme.post("/v1/users/acme/usage", record("1", "{\"end_user\": \"ann\"}", true)));

        JsonNode usage = metric(assertOk(acme.get("/v1/users/acme/usage")).json(), key);
        assertThat(usage.get("used").decimalValue()).isEqualByComparingTo("2");
        assertThat(usage.get("status").asText()).isEqualTo("exceeded");
        assertThat(metric(assertOk(acme.get("/v1/users/acme/billing")).json(), key).get("used").decimalValue())
                .isEqualByComparingTo("2");
        JsonNode value = assertOk(acme.get("/v1/users/acme/meters/" + key)).json();
        assertThat(value.get("value").decimalValue()).isEqualByComparingTo("2");
        assertThat(value.get("aggregation").asText()).isEqualTo("unique_count");
        assertThat(metric(assertOk(acme.get("/v1/users/acme/usage")).json(), source).get("used").decimalValue())
                .as("the source counts every accepted record").isEqualByComparingTo("3");
    }

    @Test
    void R70_R82_a_check_of_a_max_meter_answers_as_its_enforced_write_judges_the_record_alone() {
        String key = meter("peak_gb", "{\"source\": \"SOURCE\", \"aggregation\": \"max\"}");
        plan("pro", "{\"" + key + "\": 50}");
        ApiClient acme = user("acme", "pro");
        assertOk(acme.post("/v1/users/acme/usage", record("40", "{}", true)));

        JsonNode below = assertOk(acme.get("/v1/users/acme/entitlements/" + key + "?quantity=30")).json();
        JsonNode above = assertOk(acme.get("/v1/users/acme/entitlements/" + key + "?quantity=60")).json();

        assertThat(below.get("allowed").asBoolean()).as(below.toString()).isTrue();
        assertThat(above.get("allowed").asBoolean()).as(above.toString()).isFalse();
        assertThat(above.get("denial").get("current_usage").decimalValue()).isEqualByComparingTo("40");
        assertOk(acme.post("/v1/users/acme/usage", record("30", "{}", true)));
        assertLimitExceeded(acme.post("/v1/users/acme/usage", record("60", "{}", true)), key);
    }

    @Test
    void R83_a_grouped_meter_answers_each_group_largest_first() {
        String key = meter("tokens_by_model", "{\"source\": \"SOURCE\", \"aggregation\": \"sum\", "
                + "\"group_by\": [\"model\"]}");
        plan("pro", "{}");
        ApiClient acme = user("acme", "pro");
        assertOk(acme.post("/v1/users/acme/usage", record("5", "{\"model\": \"small\"}", false)));
        assertOk(acme.post("/v1/users/acme/usage", record("9", "{\"model\": \"large\"}", false)));
        JsonNode grouped = assertOk(acme.get("/v1/users/acme/meters/" + key + "?group_by=model")).json();
        assertThat(grouped.get("value").decimalValue()).isEqualByComparingTo("14");
        assertThat(grouped.get("groups").get(0).get("group").get("model").asText()).isEqualTo("large");
        assertThat(grouped.get("groups").get(0).get("value").decimalValue()).isEqualByComparingTo("9");
        assertThat(grouped.get("groups").get(1).get("group").get("model").asText()).isEqualTo("small");
        assertThat(acme.get("/v1/users/acme/meters/" + key + "?group_by=region").error())
                .isEqualTo("invalid_group_by");
        assertThat(acme.get("/v1/users/acme/meters/nope_" + tag).status()).isEqualTo(404);
    }

    @Test
    void R83_an_ungrouped_meter_asked_for_groups_says_it_is_not_grouped() {
        String key = meter("plain_sum", "{\"source\": \"SOURCE\", \"aggregation\": \"sum\"}");
        plan("pro", "{}");
        ApiClient acme = user("acme", "pro");
        ApiClient.Response answer = acme.get("/v1/users/acme/meters/" + key + "?group_by=model");
        assertThat(answer.error()).isEqualTo("invalid_group_by");
        assertThat(answer.json().get("message").asText()).isEqualTo("Meter " + key
                + " is not grouped; ask without ?group_by.");
    }

    @Test
    void R52_a_meter_s_series_ends_at_its_value_for_max_and_unique_count() {
        String peak = meter("peak", "{\"source\": \"SOURCE\", \"aggregation\": \"max\"}");
        String users = meter("users", "{\"source\": \"SOURCE\", \"aggregation\": \"unique_count\", "
                + "\"unique_dimension\": \"end_user\"}");
        plan("pro", "{}");
        ApiClient acme = user("acme", "pro");
        for (String[] sent : new String[][] {{"5", "ann"}, {"9", "bob"}, {"3", "ann"}}) {
            assertOk(acme.post("/v1/users/acme/usage", record(sent[0], "{\"end_user\": \"" + sent[1] + "\"}",
                    false)));
        }
        for (String[] expected : new String[][] {{peak, "9"}, {users, "2"}}) {
            JsonNode points = assertOk(acme.get("/v1/users/acme/usage/series?metric=" + expected[0])).json()
                    .get("points");
            JsonNode last = points.get(points.size() - 1);
            assertThat(last.get("cumulative").decimalValue()).as(expected[0]).isEqualByComparingTo(expected[1]);
            assertThat(metric(acme.get("/v1/users/acme/usage").json(), expected[0]).get("used").decimalValue())
                    .isEqualByComparingTo(expected[1]);
        }
    }

    @Test
    void R81_a_batch_answers_the_ids_of_its_records_in_request_order() {
        plan("pro", "{}");
        ApiClient acme = user("acme", "pro");
        JsonNode answer = assertOk(acme.post("/v1/users/acme/usage", "{\"records\": ["
                + "{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"a-1\"},"
                + "{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"a-2\"},"
                + "{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"a-1\"}]}")).json();
        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("duplicates").asInt()).isEqualTo(1);
        JsonNode records = answer.get("records");
        assertThat(records).hasSize(3);
        assertThat(records.get(0).get("idempotency_key").asText()).isEqualTo("a-1");
        assertThat(records.get(0).get("id").asText()).startsWith("rec_").isEqualTo(records.get(2).get("id").asText())
                .isNotEqualTo(records.get(1).get("id").asText());
    }
}
