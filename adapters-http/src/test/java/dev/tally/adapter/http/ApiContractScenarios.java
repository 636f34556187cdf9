package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The API's contract beyond the seed scenarios: access (R60, R61), idempotent retries (R20),
 * malformed requests (R12, R22) and atomic check-and-record under concurrency (R13).
 */
public abstract class ApiContractScenarios extends ApiTestSupport {

    // --- access -------------------------------------------------------------------------------

    @Test
    void R60_a_missing_or_unknown_key_is_401() {
        plan("free", "{}");
        user("acme", "free");
        for (ApiClient client : List.of(admin.withKey(null), admin.withKey("tly_not-a-key"))) {
            ApiClient.Response response = client.get("/v1/users/acme/usage");
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.error()).isEqualTo("unauthorized");
        }
        ApiClient.Response basic = admin.withKey(null).send("GET", "/v1/users/acme/usage", null,
                Map.of("Authorization", "Basic " + adminKey));
        assertThat(basic.status()).isEqualTo(401);
    }

    @Test
    void R60_a_user_key_on_an_admin_route_is_403() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        List<ApiClient.Response> responses = List.of(
                acme.put("/v1/plans/free", "{\"limits\": {}}"),
                acme.put("/v1/models/gpt-x", "{\"input_per_1k\": 1, \"output_per_1k\": 1}"),
                acme.put("/v1/users/acme", "{\"plan_id\": \"free\"}"),
                acme.post("/v1/users/acme/plan", "{\"plan_id\": \"free\"}"),
                acme.post("/v1/users/acme/billing-period/reset", null),
                acme.post("/v1/users/acme/api-keys", null));
        assertThat(responses).allSatisfy(response -> {
            assertThat(response.status()).as(response.toString()).isEqualTo(403);
            assertThat(response.error()).isEqualTo("forbidden");
        });
    }

    @Test
    void R60_a_user_key_naming_another_users_resource_gets_the_same_404_as_a_missing_user() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        user("bob", "free");
        String bobsCode = assertOk(admin.post("/v1/users/bob/activation-codes", "{}")).json().get("code").asText();

        ApiClient.Response other = acme.get("/v1/users/bob/usage");
        ApiClient.Response missing = acme.get("/v1/users/ghost/usage");

        assertThat(other.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(other.text().replace("bob", "ghost")).isEqualTo(missing.text());
        assertThat(admin.get("/v1/users/ghost/usage").text()).isEqualTo(missing.text());
        assertThat(acme.post("/v1/users/bob/usage", "{\"records\": [{\"metric\": \"x\", \"quantity\": 1,"
                + " \"idempotency_key\": \"a\"}]}").status()).isEqualTo(404);
        assertThat(acme.post("/v1/activation-codes/" + bobsCode + "/redeem", null).status()).isEqualTo(404);
        assertThat(assertOk(admin.get("/v1/users/bob/usage")).json().get("user_id").asText()).isEqualTo("bob");
    }

    @Test
    void R64_a_run_completed_with_5e18_tokens_is_refused_and_run_statistics_and_billing_keep_answering() {
        plan("pro", "{\"runs\": 10}");
        ApiClient acme = user("acme", "pro");
        for (int i = 0; i < 2; i++) {
            String id = assertOk(acme.post("/v1/users/acme/report-runs", "{}")).json().get("id").asText();
            ApiClient.Response huge = acme.post("/v1/users/acme/report-runs/" + id + "/complete",
                    "{\"status\": \"succeeded\", \"tokens_input\": 5000000000000000000}");
            assertThat(huge.status()).isEqualTo(400);
        }

        assertThat(assertOk(acme.get("/v1/users/acme/report-runs/usage")).json().get("total_tokens").asLong()).isZero();
        assertOk(acme.get("/v1/users/acme/billing"));
    }

    @Test
    void R60_R68_health_openapi_and_the_page_need_no_key_and_metrics_needs_the_admin_key() {
        ApiClient anonymous = admin.withKey(null);
        assertThat(anonymous.get("/v1/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/openapi.json").status()).isEqualTo(200);
        assertThat(anonymous.get("/").status()).isEqualTo(200);
        assertThat(anonymous.get("/metrics").status()).isEqualTo(401);
        assertThat(admin.get("/metrics").status()).isEqualTo(200);
    }

    @Test
    void R61_a_created_key_is_shown_once_and_acts_only_for_its_user() {
        plan("free", "{}");
        ApiClient.Response first = admin.post("/v1/users/ghost/api-keys", null);
        assertThat(first.status()).isEqualTo(404);
        ApiClient acme = user("acme", "free");
        assertThat(acme.get("/v1/users/acme/usage").status()).isEqualTo(200);
        ApiClient.Response created = admin.post("/v1/users/acme/api-keys", null);
        List<String> fields = new ArrayList<>();
        created.json().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "key", "prefix", "created_at");
        assertThat(created.json().get("key").asText()).startsWith("tly_")
                .startsWith(created.json().get("prefix").asText());
        assertThat(created.json().get("created_at").asText()).isEqualTo(START.toString());
    }

    // --- idempotency --------------------------------------------------------------------------

    @Test
    void R20_a_retried_usage_batch_is_counted_once() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        String batch = "{\"records\": [{\"metric\": \"exports\", \"quantity\": 2, \"idempotency_key\": \"ex-1\"}]}";

        JsonNode first = assertOk(acme.post("/v1/users/acme/usage", batch)).json();
        // The retry of a lost answer comes later; without occurred_at it is still the same record.
        clock.advance(java.time.Duration.ofSeconds(2));
        JsonNode retry = assertOk(acme.post("/v1/users/acme/usage", batch)).json();

        assertThat(first.get("accepted").asInt()).isEqualTo(1);
        assertThat(first.get("duplicates").asInt()).isZero();
        assertThat(retry.get("accepted").asInt()).isZero();
        assertThat(retry.get("duplicates").asInt()).isEqualTo(1);
        assertThat(metric(acme.get("/v1/users/acme/usage").json(), "exports").get("used").decimalValue())
                .isEqualByComparingTo("2");
    }

    @Test
    void R20_a_record_key_reused_with_a_different_payload_is_422() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        assertOk(acme.post("/v1/users/acme/usage",
                "{\"records\": [{\"metric\": \"exports\", \"quantity\": 2, \"idempotency_key\": \"ex-1\"}]}"));

        ApiClient.Response reused = acme.post("/v1/users/acme/usage",
                "{\"records\": [{\"metric\": \"exports\", \"quantity\": 3, \"idempotency_key\": \"ex-1\"}]}");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.error()).isEqualTo("idempotency_key_reused");
        assertThat(metric(acme.get("/v1/users/acme/usage").json(), "exports").get("used").decimalValue())
                .isEqualByComparingTo("2");
    }

    @Test
    void R20_a_retried_credit_write_is_answered_with_the_original_entry_and_counted_once() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        ApiClient.Response first = admin.post("/v1/users/acme/credits/purchases", "{\"amount\": 10}", "buy-1");
        ApiClient.Response retry = admin.post("/v1/users/acme/credits/purchases", "{\"amount\": 10}", "buy-1");
        ApiClient.Response reused = admin.post("/v1/users/acme/credits/purchases", "{\"amount\": 11}", "buy-1");

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(retry.status()).isIn(200, 201);
        assertThat(retry.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.error()).isEqualTo("idempotency_key_reused");
        assertThat(balance(acme, "acme")).isEqualTo(10);
    }

    @Test
    void R20_a_credit_write_without_an_idempotency_key_is_400_and_changes_nothing() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        for (String path : List.of("purchases", "grants", "usage", "refunds", "adjustments")) {
            ApiClient client = path.equals("usage") ? acme : admin; // the rest are the operator's (R62)
            ApiClient.Response response = client.post("/v1/users/acme/credits/" + path,
                    "{\"amount\": 5, \"operation\": \"x\", \"reason\": \"y\", \"usage_transaction_id\": \"z\"}");
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.error()).isEqualTo("idempotency_key_required");
        }
        assertThat(balance(acme, "acme")).isZero();
    }

    @Test
    void R20_a_retried_session_with_the_same_idempotency_key_is_the_same_session() {
        plan("free", "{\"sessions\": 10}");
        ApiClient acme = user("acme", "free");
        ApiClient.Response first = acme.post("/v1/users/acme/sessions", "{\"title\": \"a\"}", "s-1");
        ApiClient.Response retry = acme.post("/v1/users/acme/sessions", "{\"title\": \"a\"}", "s-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(acme.post("/v1/users/acme/sessions", "{\"title\": \"b\"}", "s-1").status()).isEqualTo(422);
        assertThat(metric(acme.get("/v1/users/acme/usage").json(), "sessions").get("used").decimalValue())
                .isEqualByComparingTo("1");
        String id = first.json().get("id").asText();
        JsonNode readBack = assertOk(acme.get("/v1/users/acme/sessions/" + id)).json();
        assertThat(readBack.get("title").asText()).isEqualTo("a");
        assertThat(readBack.get("duration_seconds").isNull()).isTrue();
    }

    @Test
    void R20_a_retried_redeem_with_the_same_idempotency_key_is_counted_once() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        String code = assertOk(acme.post("/v1/users/acme/activation-codes", "{\"max_uses\": 3}")).json()
                .get("code").asText();

        ApiClient.Response first = acme.post("/v1/activation-codes/" + code + "/redeem", null, "r-1");
        ApiClient.Response retry = acme.post("/v1/activation-codes/" + code + "/redeem", null, "r-1");
        ApiClient.Response next = acme.post("/v1/activation-codes/" + code + "/redeem", null, "r-2");

        assertThat(first.json().get("use_count").asInt()).isEqualTo(1);
        assertThat(retry.json().get("use_count").asInt()).isEqualTo(1);
        assertThat(next.json().get("use_count").asInt()).isEqualTo(2);
        assertThat(acme.get("/v1/users/acme/billing").json().get("activation_codes").get("redeemed").asLong())
                .isEqualTo(2);
    }

    @Test
    void R4_R20_a_retried_billing_period_reset_starts_one_new_period() {
        plan("free", "{}");
        user("acme", "free");
        clock.advance(java.time.Duration.ofDays(3));
        JsonNode first = assertOk(admin.post("/v1/users/acme/billing-period/reset", null, "reset-1")).json();
        clock.advance(java.time.Duration.ofHours(1));
        JsonNode retry = assertOk(admin.post("/v1/users/acme/billing-period/reset", null, "reset-1")).json();

        assertThat(retry.get("billing").get("anchor")).isEqualTo(first.get("billing").get("anchor"));
        assertThat(admin.get("/v1/users/acme/usage").json().get("period").get("start").asText())
                .isEqualTo("2026-10-18T12:00:00Z");
    }

    @Test
    void R14_R20_a_retried_plan_change_is_answered_again_and_the_same_key_with_another_plan_is_refused() {
        plan("free", "{}");
        plan("pro", "{}");
        user("acme", "free");
        JsonNode first = assertOk(admin.post("/v1/users/acme/plan", "{\"plan_id\": \"pro\"}", "move-1")).json();
        JsonNode retry = assertOk(admin.post("/v1/users/acme/plan", "{\"plan_id\": \"pro\"}", "move-1")).json();
        ApiClient.Response other = admin.post("/v1/users/acme/plan", "{\"plan_id\": \"free\"}", "move-1");

        assertThat(retry).isEqualTo(first);
        assertThat(first.get("plan_id").asText()).isEqualTo("pro");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.error()).isEqualTo("idempotency_key_reused");
        assertThat(admin.get("/v1/users/acme/usage").json().get("plan_id").asText()).isEqualTo("pro");
    }

    @Test
    void R20_R61_a_retried_key_creation_creates_one_key_and_shows_its_plaintext_once() {
        plan("free", "{}");
        user("acme", "free");
        int before = admin.get("/v1/api-keys?user_id=acme").json().get("keys").size();
        ApiClient.Response first = admin.post("/v1/users/acme/api-keys", null, "key-1");
        ApiClient.Response retry = admin.post("/v1/users/acme/api-keys", null, "key-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("key").asText()).startsWith("tly_");
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(retry.json().get("prefix")).isEqualTo(first.json().get("prefix"));
        assertThat(retry.json().get("key").isNull()).isTrue();
        assertThat(admin.get("/v1/api-keys?user_id=acme").json().get("keys")).hasSize(before + 1);
        assertOk(new ApiClient(server.port(), first.json().get("key").asText()).get("/v1/users/acme/usage"));
    }

    @Test
    void every_list_pages_by_limit_and_cursor_and_answers_data_has_more_and_next_cursor() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        for (int i = 0; i < 5; i++) {
            purchase(admin, "acme", i + 1);
        }
        List<Long> amounts = new ArrayList<>();
        String path = "/v1/users/acme/credits/transactions?limit=2";
        int pages = 0;
        while (path != null) {
            ApiClient.Response page = assertOk(acme.get(path));
            JsonNode body = page.json();
            body.get("data").forEach(entry -> amounts.add(entry.get("amount").asLong()));
            assertThat(body.get("has_more").asBoolean()).isEqualTo(!body.get("next_cursor").isNull());
            assertThat(page.header("Deprecation")).isEqualTo("@1796601600");
            assertThat(page.header("Sunset")).isNotBlank();
            path = body.get("has_more").asBoolean()
                    ? "/v1/users/acme/credits/transactions?limit=2&cursor=" + body.get("next_cursor").asText() : null;
            pages++;
        }
        // Newest first, each entry once.
        assertThat(amounts).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(pages).isEqualTo(3);

        // The old offset paging and wrapper name still answer, for one release.
        JsonNode old = assertOk(acme.get("/v1/users/acme/credits/transactions?limit=2&offset=2")).json();
        assertThat(old.get("transactions")).isEqualTo(old.get("data"));
        assertThat(old.get("data").get(0).get("amount").asLong()).isEqualTo(3);
        assertThat(old.get("total").asLong()).isEqualTo(5);

        JsonNode plans = assertOk(admin.get("/v1/plans?limit=1")).json();
        assertThat(plans.get("data")).hasSize(1);
        assertThat(plans.get("has_more").asBoolean()).isFalse();
        assertThat(plans.get("next_cursor").isNull()).isTrue();

        ApiClient.Response forged = acme.get("/v1/users/acme/report-runs?cursor=bm9wZQ");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.error()).isEqualTo("invalid_cursor");
    }

    @Test
    void ids_carry_their_type_prefix_and_a_row_stored_before_prefixes_resolves_by_either_form() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        purchase(admin, "acme", 10);
        String spent = spend(acme, "acme", 3, "export");
        JsonNode run = assertOk(acme.post("/v1/users/acme/report-runs", null)).json();
        JsonNode session = assertOk(acme.post("/v1/users/acme/sessions", "{\"title\": \"t\"}")).json();
        JsonNode call = assertOk(acme.post("/v1/users/acme/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": 0.5}"))
                .json();

        assertThat(run.get("id").asText()).matches("run_[0-9a-f]{32}");
        assertThat(session.get("id").asText()).matches("ses_[0-9a-f]{32}");
        assertThat(spent).matches("txn_[0-9a-f]{32}");
        assertThat(call.get("id").asText()).matches("call_[0-9a-f]{32}");
        assertOk(acme.get("/v1/users/acme/report-runs/" + run.get("id").asText()));
        JsonNode refund = assertOk(admin.post("/v1/users/acme/credits/refunds", "{\"usage_transaction_id\": \""
                + spent + "\", \"amount\": 1}", key())).json();
        assertThat(refund.get("usage_transaction_id").asText()).isEqualTo(spent);

        // A run stored before ids had prefixes: shown with its prefix, found by the prefixed and the bare id.
        String bare = "0b7e9f6a-3c1d-4e2f-9a8b-7c6d5e4f3a2b";
        tally.storage().transactions().run(() -> tally.storage().runs().insert(dev.tally.domain.run.ReportRun.start(
                bare, new dev.tally.domain.user.UserId("acme"), java.util.Optional.empty(), java.util.Optional.empty(),
                clock.instant())));
        JsonNode old = assertOk(acme.get("/v1/users/acme/report-runs/run_" + bare)).json();
        assertThat(old.get("id").asText()).isEqualTo("run_" + bare);
        assertThat(assertOk(acme.get("/v1/users/acme/report-runs/" + bare)).json().get("id").asText())
                .isEqualTo("run_" + bare);
    }

    @Test
    void every_amount_of_money_is_written_at_six_decimal_places() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        assertOk(admin.put("/v1/models/gpt-x", "{\"input_per_1k\": 0.003, \"output_per_1k\": 0.015,"
                + " \"provider\": \"openai\"}"));
        String call = assertOk(acme.post("/v1/users/acme/api-calls", "{\"call_type\": \"llm\", \"provider\": \"openai\","
                + " \"cost_usd\": 2.92}")).text();
        String costs = assertOk(acme.get("/v1/users/acme/costs")).text();
        String billing = assertOk(acme.get("/v1/users/acme/billing")).text();
        String models = assertOk(admin.get("/v1/models")).text();

        assertThat(call).contains("\"cost_usd\":2.920000");
        assertThat(costs).contains("\"total_cost_usd\":2.920000").contains("\"cost_usd\":2.920000");
        assertThat(billing).contains("\"total_cost_usd\":0.000000");
        assertThat(models).contains("\"input_per_1k\":0.003000").contains("\"output_per_1k\":0.015000");
        // No amount of money anywhere in these answers is written at another scale.
        for (String answer : List.of(call, costs, billing, models)) {
            assertThat(answer).doesNotContainPattern("_usd\":-?[0-9]+(\\.[0-9]{0,5}|\\.[0-9]{7,})?[,}]")
                    .doesNotContainPattern("_per_1k\":-?[0-9]+(\\.[0-9]{0,5}|\\.[0-9]{7,})?[,}]");
        }
    }

    // --- concurrency --------------------------------------------------------------------------

    @Test
    void R13_concurrent_enforced_requests_over_http_grant_exactly_the_limit() throws Exception {
        plan("exports", "{\"exports\": 10}");
        ApiClient acme = user("acme", "exports");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String body = "{\"enforce\": true, \"records\": [{\"metric\": \"exports\", \"quantity\": 1,"
                        + " \"idempotency_key\": \"c-" + i + "\"}]}";
                answers.add(pool.submit(() -> acme.post("/v1/users/acme/usage", body).status()));
            }
            int granted = 0;
            int denied = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                granted += status == 200 ? 1 : 0;
                denied += status == 403 ? 1 : 0;
            }
            assertThat(granted).isEqualTo(10);
            assertThat(denied).isEqualTo(30);
        } finally {
            pool.shutdownNow();
        }
        JsonNode exports = metric(acme.get("/v1/users/acme/usage").json(), "exports");
        assertThat(exports.get("used").decimalValue()).isEqualByComparingTo("10");
        assertThat(exports.get("status").asText()).isEqualTo("exceeded");
    }
}
