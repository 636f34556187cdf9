package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Usage over time (R52) and the operator's list of users (R53) over HTTP. Public so the JDBC
 * end-to-end tests of the bootstrap module run it on H2 and PostgreSQL too.
 */
public abstract class UsageOverTimeScenarios extends ApiTestSupport {

    private void use(ApiClient client, String user, String metric, long quantity, String at) {
        assertOk(client.post("/v1/users/" + user + "/usage", "{\"records\": [{\"metric\": \"" + metric
                + "\", \"quantity\": " + quantity + (at == null ? "" : ", \"occurred_at\": \"" + at + "\"")
                + ", \"idempotency_key\": \"" + key() + "\"}]}"));
    }

    private static List<String> userIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("users").forEach(u -> ids.add(u.get("user_id").asText()));
        return ids;
    }

    @Test
    void R52_daily_series_of_the_period_up_to_today_ends_at_the_used_figure() {
        plan("pro", "{\"exports\": 100}");
        ApiClient acme = user("acme", "pro");
        use(acme, "acme", "exports", 3, "2026-10-02T08:00:00Z");
        use(acme, "acme", "exports", 4, "2026-10-02T23:59:59Z");
        use(acme, "acme", "exports", 5, "2026-10-10T00:00:00Z");
        use(acme, "acme", "exports", 1, null);

        JsonNode series = assertOk(acme.get("/v1/users/acme/usage/series?metric=exports&granularity=day")).json();
        JsonNode used = metric(assertOk(acme.get("/v1/users/acme/usage")).json(), "exports").get("used");

        assertThat(series.get("metric").asText()).isEqualTo("exports");
        assertThat(series.get("granularity").asText()).isEqualTo("day");
        assertThat(series.get("time_zone").asText()).isEqualTo("UTC");
        assertThat(series.get("period").get("start").asText()).isEqualTo("2026-10-01T00:00:00Z");
        JsonNode points = series.get("points");
        assertThat(points).hasSize(15);  // October 1 to 15, today included, empty days too
        assertThat(points.get(1).get("start").asText()).isEqualTo("2026-10-02T00:00:00Z");
        assertThat(points.get(1).get("quantity").decimalValue()).isEqualByComparingTo("7");
        assertThat(points.get(2).get("quantity").decimalValue()).isZero();
        assertThat(points.get(14).get("cumulative").decimalValue())
                .isEqualByComparingTo(used.decimalValue()).isEqualByComparingTo("13");
    }

    @Test
    void R52_hourly_series_counts_the_same_and_at_picks_a_past_period_shown_whole() {
        plan("pro", "{\"exports\": 100}");
        ApiClient acme = user("acme", "pro");
        use(acme, "acme", "exports", 2, "2026-10-15T11:59:00Z");
        use(acme, "acme", "exports", 6, "2026-10-01T00:00:00Z");

        JsonNode hourly = assertOk(acme.get("/v1/users/acme/usage/series?metric=exports&granularity=hour")).json();
        JsonNode september = assertOk(acme.get(
                "/v1/users/acme/usage/series?metric=exports&at=2026-09-15T00:00:00Z")).json();

        JsonNode points = hourly.get("points");
        assertThat(points).hasSize(14 * 24 + 13);
        assertThat(points.get(0).get("quantity").decimalValue()).isEqualByComparingTo("6");
        assertThat(points.get(points.size() - 2).get("quantity").decimalValue()).isEqualByComparingTo("2");
        assertThat(points.get(points.size() - 1).get("cumulative").decimalValue()).isEqualByComparingTo("8");
        assertThat(september.get("points")).hasSize(30)
                .allSatisfy(p -> assertThat(p.get("cumulative").decimalValue()).isEqualByComparingTo(BigDecimal.ZERO));
    }

    @Test
    void R52_a_series_request_without_a_metric_or_with_an_unknown_granularity_is_400_and_another_users_is_404() {
        plan("pro", "{}");
        ApiClient acme = user("acme", "pro");
        user("bob", "pro");

        ApiClient.Response noMetric = acme.get("/v1/users/acme/usage/series");
        ApiClient.Response week = acme.get("/v1/users/acme/usage/series?metric=runs&granularity=week");
        ApiClient.Response badMetric = acme.get("/v1/users/acme/usage/series?metric=Not%20A%20Metric");

        assertThat(noMetric.status()).as(noMetric.toString()).isEqualTo(400);
        assertThat(week.status()).isEqualTo(400);
        assertThat(week.error()).isEqualTo("invalid_granularity");
        assertThat(badMetric.status()).as(badMetric.toString()).isEqualTo(400);
        assertThat(acme.get("/v1/users/bob/usage/series?metric=runs").status()).isEqualTo(404);
    }

    @Test
    void R53_the_operator_lists_users_worst_first_with_status_filters_and_a_cursor() {
        plan("free", "{\"runs\": 5}");
        plan("pro", "{\"runs\": 50, \"exports\": 100}");
        ApiClient globex = user("globex", "free");
        ApiClient acme = user("acme", "pro");
        user("initech", "free");
        use(globex, "globex", "runs", 5, null);
        use(acme, "acme", "runs", 10, null);
        use(acme, "acme", "exports", 85, null);

        JsonNode all = assertOk(admin.get("/v1/users")).json();

        assertThat(userIds(all)).containsExactly("globex", "acme", "initech");
        assertThat(all.get("next_cursor").isNull()).isTrue();
        JsonNode worst = all.get("users").get(0).get("worst");
        assertThat(worst.get("metric").asText()).isEqualTo("runs");
        assertThat(worst.get("status").asText()).isEqualTo("exceeded");
        assertThat(worst.get("percent").decimalValue()).isEqualByComparingTo("100");
        assertThat(all.get("users").get(0).get("plan_id").asText()).isEqualTo("free");
        assertThat(all.get("users").get(0).get("period").get("start").asText()).isEqualTo("2026-10-01T00:00:00Z");
        assertThat(all.get("users").get(1).get("worst").get("metric").asText()).isEqualTo("exports");
        assertThat(all.get("users").get(1).get("worst").get("status").asText()).isEqualTo("warning");

        assertThat(userIds(assertOk(admin.get("/v1/users?status=warning")).json())).containsExactly("acme");
        assertThat(userIds(assertOk(admin.get("/v1/users?status=warning,exceeded")).json()))
                .containsExactly("globex", "acme");

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = assertOk(admin.get("/v1/users?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))).json();
            paged.addAll(userIds(page));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(paged).containsExactly("globex", "acme", "initech");
    }

    @Test
    void R53_a_bad_status_cursor_or_limit_is_400_and_a_user_key_is_403() {
        plan("free", "{\"runs\": 5}");
        ApiClient globex = user("globex", "free");

        assertThat(admin.get("/v1/users?status=nearly").error()).isEqualTo("invalid_status");
        assertThat(admin.get("/v1/users?cursor=not-a-cursor").error()).isEqualTo("invalid_cursor");
        assertThat(admin.get("/v1/users?limit=0").error()).isEqualTo("invalid_paging");
        ApiClient.Response forbidden = globex.get("/v1/users");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.error()).isEqualTo("forbidden");
    }
}
