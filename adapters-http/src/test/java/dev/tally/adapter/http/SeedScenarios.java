package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The home-grown billing bugs Tally was designed from, replayed through HTTP against the real
 * server: each test is one seed scenario and names the rule that fixes it.
 */
public abstract class SeedScenarios extends ApiTestSupport {

    @Test
    void R10_five_succeeded_runs_show_5_of_50_and_percent_10() {
        plan("pro", "{\"runs\": 50}");
        ApiClient acme = user("acme", "pro");
        for (int i = 0; i < 5; i++) {
            run(acme, "acme", "succeeded");
        }

        JsonNode runs = metric(assertOk(acme.get("/v1/users/acme/usage")).json(), "runs");
        assertThat(runs.get("used").decimalValue()).isEqualByComparingTo("5");
        assertThat(runs.get("limit").decimalValue()).isEqualByComparingTo("50");
        assertThat(runs.get("percent").decimalValue()).isEqualByComparingTo("10");
        assertThat(runs.get("remaining").decimalValue()).isEqualByComparingTo("45");
        assertThat(runs.get("status").asText()).isEqualTo("ok");

        JsonNode stats = assertOk(acme.get("/v1/users/acme/report-runs/usage")).json();
        assertThat(stats.get("successful_runs").asLong()).isEqualTo(5);
        assertThat(stats.get("total_runs").asLong()).isEqualTo(5);
        assertThat(stats.get("remaining").decimalValue()).isEqualByComparingTo("45");
        assertThat(stats.get("can_run_more").asBoolean()).isTrue();
        // 1000 input and 500 output tokens of gpt-4o-mini: 0.00015 + 0.0003 per run (R27).
        assertThat(stats.get("total_cost_usd").decimalValue()).isEqualByComparingTo("0.00225");
    }

    @Test
    void R26_failed_and_cancelled_runs_are_not_counted() {
        plan("pro", "{\"runs\": 50}");
        ApiClient acme = user("acme", "pro");
        run(acme, "acme", "succeeded");
        run(acme, "acme", "failed");
        run(acme, "acme", "cancelled");

        JsonNode runs = metric(assertOk(acme.get("/v1/users/acme/usage")).json(), "runs");
        assertThat(runs.get("used").decimalValue()).isEqualByComparingTo("1");
        assertThat(runs.get("reserved").decimalValue()).isEqualByComparingTo("0");
        assertThat(runs.get("percent").decimalValue()).isEqualByComparingTo("2");

        JsonNode stats = assertOk(acme.get("/v1/users/acme/report-runs/usage")).json();
        assertThat(stats.get("total_runs").asLong()).isEqualTo(3);
        assertThat(stats.get("successful_runs").asLong()).isEqualTo(1);
        assertThat(stats.get("failed_runs").asLong()).isEqualTo(1);
        assertThat(stats.get("cancelled_runs").asLong()).isEqualTo(1);
        assertThat(stats.get("remaining").decimalValue()).isEqualByComparingTo("49");
    }

    @Test
    void R45_twelve_codes_issued_and_redeemed_show_12_of_12_and_100_percent() {
        plan("codes", "{\"activation_codes\": 12}");
        ApiClient acme = user("acme", "codes");
        for (int i = 0; i < 12; i++) {
            String code = assertOk(acme.post("/v1/users/acme/activation-codes", "{}")).json().get("code").asText();
            assertThat(assertOk(acme.post("/v1/activation-codes/" + code + "/redeem", null)).json()
                    .get("use_count").asInt()).isEqualTo(1);
        }

        JsonNode billing = assertOk(acme.get("/v1/users/acme/billing")).json();
        assertThat(billing.get("activation_codes").get("issued").asLong()).isEqualTo(12);
        assertThat(billing.get("activation_codes").get("redeemed").asLong()).isEqualTo(12);
        assertThat(billing.get("activation_codes").get("limit").decimalValue()).isEqualByComparingTo("12");
        JsonNode codes = metric(billing, "activation_codes");
        assertThat(codes.get("used").decimalValue()).isEqualByComparingTo("12");
        assertThat(codes.get("percent").decimalValue()).isEqualByComparingTo("100");
        assertThat(codes.get("status").asText()).isEqualTo("exceeded");

        ApiClient.Response thirteenth = acme.post("/v1/users/acme/activation-codes", "{}");
        assertLimitExceeded(thirteenth, "activation_codes");
    }

    @Test
    void R4_500_minutes_used_last_period_and_0_this_period_allows_a_new_session() {
        plan("audio", "{\"session_minutes\": 500, \"sessions\": 100}");
        ApiClient acme = user("acme", "audio");
        String session = assertOk(acme.post("/v1/users/acme/sessions", "{\"title\": \"call\"}")).json()
                .get("id").asText();
        assertOk(acme.post("/v1/users/acme/sessions/" + session + "/complete", "{\"duration_seconds\": 30000}"));
        assertLimitExceeded(acme.post("/v1/users/acme/sessions", "{\"title\": \"one more\"}"), "session_minutes");

        clock.set(Instant.parse("2026-11-02T09:00:00Z"));

        ApiClient.Response next = acme.post("/v1/users/acme/sessions", "{\"title\": \"new month\"}");
        assertThat(next.status()).as(next.toString()).isEqualTo(201);
        JsonNode usage = assertOk(acme.get("/v1/users/acme/usage")).json();
        assertThat(usage.get("period").get("start").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(metric(usage, "session_minutes").get("used").decimalValue()).isEqualByComparingTo("0");
        JsonNode previous = assertOk(acme.get("/v1/users/acme/usage?at=2026-10-20T00:00:00Z")).json();
        assertThat(metric(previous, "session_minutes").get("used").decimalValue()).isEqualByComparingTo("500");
    }

    @Test
    void R12_minutes_limit_reached_is_403_with_current_usage_and_limit() {
        plan("audio", "{\"session_minutes\": 500}");
        ApiClient acme = user("acme", "audio");
        String session = assertOk(acme.post("/v1/users/acme/sessions", "{\"title\": \"call\"}")).json()
                .get("id").asText();
        assertOk(acme.post("/v1/users/acme/sessions/" + session + "/complete", "{\"duration_seconds\": 29941}"));

        ApiClient.Response denied = acme.post("/v1/users/acme/sessions", "{\"title\": \"over\"}");

        JsonNode body = assertLimitExceeded(denied, "session_minutes");
        assertThat(body.get("plan").asText()).isEqualTo("audio");
        assertThat(body.get("current_usage").decimalValue()).isEqualByComparingTo("500");
        assertThat(body.get("limit").decimalValue()).isEqualByComparingTo("500");
        assertThat(body.get("requested").decimalValue()).isEqualByComparingTo("1");
        assertThat(body.get("resets_at").asText()).isEqualTo("2026-11-01T00:00:00Z");
    }

    @Test
    void R33_seven_spent_five_refunded_is_net_two_and_the_balance_moved_by_minus_two() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        purchase(admin, "acme", 100);
        String usage = spend(acme, "acme", 7, "export");
        refund(admin, "acme", usage, 5);

        JsonNode report = assertOk(acme.get("/v1/users/acme/credits/usage-by-operation")).json();
        JsonNode export = report.get("operations").get(0);
        assertThat(export.get("operation").asText()).isEqualTo("export");
        assertThat(export.get("gross").asLong()).isEqualTo(7);
        assertThat(export.get("refunded").asLong()).isEqualTo(5);
        assertThat(export.get("net").asLong()).isEqualTo(2);
        assertThat(balance(acme, "acme")).isEqualTo(100 - 2);
    }

    @Test
    void R33_five_spent_five_refunded_is_net_zero() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        purchase(admin, "acme", 10);
        refund(admin, "acme", spend(acme, "acme", 5, "export"), 5);

        JsonNode total = assertOk(acme.get("/v1/users/acme/credits/usage-by-operation")).json().get("total");
        assertThat(total.get("gross").asLong()).isEqualTo(5);
        assertThat(total.get("refunded").asLong()).isEqualTo(5);
        assertThat(total.get("net").asLong()).isZero();
        assertThat(balance(acme, "acme")).isEqualTo(10);
    }

    @Test
    void R33_upload_10_3_query_5_5_search_2_0_nets_7_0_2() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");
        purchase(admin, "acme", 50);
        refund(admin, "acme", spend(acme, "acme", 10, "upload"), 3);
        refund(admin, "acme", spend(acme, "acme", 5, "query"), 5);
        spend(acme, "acme", 2, "search");

        JsonNode report = assertOk(acme.get("/v1/users/acme/credits/usage-by-operation")).json();
        Iterator<JsonNode> operations = report.get("operations").elements();
        List<String> nets = new ArrayList<>();
        operations.forEachRemaining(op -> nets.add(op.get("operation").asText() + "=" + op.get("net").asLong()));
        assertThat(nets).containsExactlyInAnyOrder("upload=7", "query=0", "search=2");
        assertThat(report.get("total").get("net").asLong()).isEqualTo(9);
        assertThat(balance(acme, "acme")).isEqualTo(50 - 9);
    }

    @Test
    void R14_a_plan_change_mid_period_applies_at_once_and_usage_stays() {
        plan("basic", "{\"runs\": 2}");
        plan("pro", "{\"runs\": 50}");
        ApiClient acme = user("acme", "basic");
        run(acme, "acme", "succeeded");
        run(acme, "acme", "succeeded");
        ApiClient.Response third = acme.post("/v1/users/acme/report-runs", "{}");
        assertLimitExceeded(third, "runs");

        assertOk(admin.post("/v1/users/acme/plan", "{\"plan_id\": \"pro\"}"));

        assertThat(acme.post("/v1/users/acme/report-runs", "{}").status()).isEqualTo(201);
        JsonNode runs = metric(assertOk(acme.get("/v1/users/acme/usage")).json(), "runs");
        assertThat(runs.get("used").decimalValue()).isEqualByComparingTo("2");
        assertThat(runs.get("reserved").decimalValue()).isEqualByComparingTo("1");
        assertThat(runs.get("limit").decimalValue()).isEqualByComparingTo("50");
        assertThat(runs.get("percent").decimalValue()).isEqualByComparingTo("4");
    }

    @Test
    void R5_a_calendar_month_user_created_mid_month_counts_usage_backfilled_earlier_that_month() {
        plan("pro", "{\"minutes\": 500}");
        ApiClient acme = user("acme", "pro"); // created on Oct 15, 12:00 UTC

        assertThat(acme.post("/v1/users/acme/usage", "{\"records\": [{\"metric\": \"minutes\", \"quantity\": 30, "
                + "\"idempotency_key\": \"backfill\", \"occurred_at\": \"2026-10-02T09:00:00Z\"}]}").status())
                .isEqualTo(200);

        JsonNode usage = assertOk(acme.get("/v1/users/acme/usage")).json();
        assertThat(usage.get("period").get("start").asText()).isEqualTo("2026-10-01T00:00:00Z");
        assertThat(usage.get("period").get("end").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(metric(usage, "minutes").get("used").decimalValue()).isEqualByComparingTo("30");
        JsonNode billing = assertOk(acme.get("/v1/users/acme/billing")).json();
        assertThat(billing.get("period")).isEqualTo(usage.get("period"));
    }

    @Test
    void R50_the_billing_overview_agrees_with_the_separate_endpoints() {
        plan("pro", "{\"runs\": 50, \"cost_usd\": 10, \"activation_codes\": 5, \"exports\": 100}");
        ApiClient acme = user("acme", "pro");
        run(acme, "acme", "succeeded");
        run(acme, "acme", "failed");
        purchase(admin, "acme", 30);
        refund(admin, "acme", spend(acme, "acme", 7, "export"), 5);
        assertOk(acme.post("/v1/users/acme/api-calls", "{\"call_type\": \"llm\", \"model\": \"claude-3-haiku\","
                + " \"cost_usd\": 0.25}"));
        assertOk(acme.post("/v1/users/acme/api-calls", "{\"call_type\": \"video\", \"provider\": \"wavespeed\","
                + " \"cost_usd\": 1.5}"));
        assertOk(acme.post("/v1/users/acme/api-calls", "{\"call_type\": \"search\", \"cost_usd\": 0.01}"));
        assertOk(acme.post("/v1/users/acme/usage", "{\"records\": [{\"metric\": \"exports\", \"quantity\": 3,"
                + " \"idempotency_key\": \"e1\"}]}"));
        String code = assertOk(acme.post("/v1/users/acme/activation-codes", "{\"max_uses\": 2}")).json()
                .get("code").asText();
        assertOk(acme.post("/v1/activation-codes/" + code + "/redeem", null));

        JsonNode billing = assertOk(acme.get("/v1/users/acme/billing")).json();
        JsonNode usage = assertOk(acme.get("/v1/users/acme/usage")).json();
        assertThat(billing.get("user_id").asText()).isEqualTo("acme");
        assertThat(billing.get("plan").get("id").asText()).isEqualTo("pro");
        assertThat(billing.get("period")).isEqualTo(usage.get("period"));
        assertThat(billing.get("metrics")).isEqualTo(usage.get("metrics"));
        assertThat(billing.get("runs")).isEqualTo(assertOk(acme.get("/v1/users/acme/report-runs/usage")).json());
        assertThat(billing.get("costs")).isEqualTo(assertOk(acme.get("/v1/users/acme/costs")).json());
        JsonNode credits = assertOk(acme.get("/v1/users/acme/credits/usage-by-operation")).json();
        assertThat(billing.get("credits").get("operations")).isEqualTo(credits.get("operations"));
        assertThat(billing.get("credits").get("balance").asLong()).isEqualTo(balance(acme, "acme")).isEqualTo(28);

        JsonNode costs = billing.get("costs");
        assertThat(costs.get("total_cost_usd").decimalValue()).isEqualByComparingTo("1.76");
        assertThat(costs.get("budget_usd").decimalValue()).isEqualByComparingTo("10");
        assertThat(costs.get("providers").get(0).get("provider").asText()).isEqualTo("wavespeed");
        assertThat(costs.get("providers").get(1).get("provider").asText()).isEqualTo("anthropic");
        assertThat(costs.get("providers").get(2).get("provider").asText()).isEqualTo("unknown");
        assertThat(metric(billing, "exports").get("percent").decimalValue()).isEqualByComparingTo("3");
        assertThat(billing.get("activation_codes").get("issued").asLong()).isEqualTo(1);
        assertThat(billing.get("activation_codes").get("redeemed").asLong()).isEqualTo(1);
    }
}
