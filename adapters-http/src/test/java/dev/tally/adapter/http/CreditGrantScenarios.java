package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Credit grants over HTTP (R35, R36): priority and expiry on purchases and grants, the grants with
 * what remains of them, {@code drawn_from} on usage entries, a lapsed remainder gone from the
 * balance at its instant with one {@code credits.expired} event, and bad terms as a 400.
 */
public abstract class CreditGrantScenarios extends ApiTestSupport {

    private static final String TOMORROW = "2026-10-16T12:00:00Z";

    private JsonNode grant(ApiClient client, String kind, String body) {
        return assertOk(client.post("/v1/users/acme/credits/" + kind, body, key())).json();
    }

    @Test
    void R35_a_grant_expiring_tomorrow_is_spent_before_a_pack_and_usage_shows_what_it_drew_from() {
        plan("pro", "{}");
        ApiClient acme = user("acme", "pro");
        JsonNode pack = grant(admin, "purchases", "{\"amount\": 1000}");
        JsonNode promo = grant(admin, "grants", "{\"amount\": 100, \"expires_at\": \"" + TOMORROW + "\", \"priority\": 50}");
        assertThat(promo.get("amount").asLong()).isEqualTo(100);

        JsonNode spent = assertOk(acme.post("/v1/users/acme/credits/usage",
                "{\"amount\": 130, \"operation\": \"export\"}", key())).json();

        assertThat(spent.get("drawn_from").get(0).get("grant_id").asText()).isEqualTo(promo.get("id").asText());
        assertThat(spent.get("drawn_from").get(0).get("credits").asLong()).isEqualTo(100);
        assertThat(spent.get("drawn_from").get(1).get("grant_id").asText()).isEqualTo(pack.get("id").asText());
        assertThat(spent.get("drawn_from").get(1).get("credits").asLong()).isEqualTo(30);
        JsonNode grants = assertOk(acme.get("/v1/users/acme/credits/grants")).json();
        assertThat(grants.get("data")).hasSize(2);
        JsonNode newest = grants.get("data").get(0);
        assertThat(newest.get("id").asText()).isEqualTo(promo.get("id").asText());
        assertThat(newest.get("remaining").asLong()).isZero();
        assertThat(newest.get("expires_at").asText()).isEqualTo(TOMORROW);
        assertThat(newest.get("priority").asInt()).isEqualTo(50);
        assertThat(grants.get("data").get(1).get("remaining").asLong()).isEqualTo(970);
        assertThat(grants.get("data").get(1).get("expires_at").isNull()).isTrue();
        assertThat(grants.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void R36_at_its_expiry_a_remainder_leaves_the_balance_with_one_expiry_entry_and_one_event() {
        plan("pro", "{}");
        ApiClient acme = user("acme", "pro");
        grant(admin, "grants", "{\"amount\": 100, \"expires_at\": \"" + TOMORROW + "\"}");
        grant(admin, "purchases", "{\"amount\": 10}");
        assertThat(balance(acme, "acme")).isEqualTo(110);

        clock.advance(Duration.ofDays(1));

        assertThat(balance(acme, "acme")).isEqualTo(10);
        assertThat(balance(admin, "acme")).isEqualTo(10);
        JsonNode entries = assertOk(acme.get("/v1/users/acme/credits/transactions")).json().get("data");
        long expiries = 0;
        for (JsonNode entry : entries) {
            if (entry.get("type").asText().equals("expiry")) {
                expiries++;
                assertThat(entry.get("amount").asLong()).isEqualTo(-100);
                assertThat(entry.get("drawn_from").get(0).get("credits").asLong()).isEqualTo(100);
            }
        }
        assertThat(expiries).isEqualTo(1);
        JsonNode events = assertOk(admin.get("/v1/events?user_id=acme&type=credits.expired")).json().get("data");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("data").get("credits").asLong()).isEqualTo(100);
        assertThat(acme.post("/v1/users/acme/credits/usage", "{\"amount\": 11, \"operation\": \"export\"}", key())
                .status()).isEqualTo(402);
    }

    @Test
    void R35_bad_terms_are_a_400_and_write_nothing() {
        plan("pro", "{}");
        ApiClient acme = user("acme", "pro");

        assertThat(admin.post("/v1/users/acme/credits/grants", "{\"amount\": 5, \"priority\": 101}", key()).error())
                .isEqualTo("invalid_priority");
        assertThat(admin.post("/v1/users/acme/credits/grants", "{\"amount\": 5, \"priority\": -1}", key()).error())
                .isEqualTo("invalid_priority");
        assertThat(admin.post("/v1/users/acme/credits/purchases",
                "{\"amount\": 5, \"expires_at\": \"2026-10-15T11:59:59Z\"}", key()).error())
                .isEqualTo("invalid_expires_at");
        assertThat(admin.post("/v1/users/acme/credits/purchases",
                "{\"amount\": 5, \"expires_at\": \"2036-10-15T12:00:01Z\"}", key()).error())
                .isEqualTo("invalid_expires_at");
        assertThat(admin.post("/v1/users/acme/credits/purchases",
                "{\"amount\": 5, \"expires_at\": \"tomorrow\"}", key()).status()).isEqualTo(400);
        assertThat(admin.post("/v1/users/acme/credits/purchases",
                "{\"amount\": 5, \"priority\": \"first\"}", key()).status()).isEqualTo(400);
        assertThat(balance(acme, "acme")).isZero();
        assertThat(assertOk(acme.get("/v1/users/acme/credits/grants")).json().get("data")).isEmpty();

        purchase(admin, "acme", 10);
        String usage = spend(acme, "acme", 5, "export");
        ApiClient.Response tooMuch = admin.post("/v1/users/acme/credits/refunds",
                "{\"usage_transaction_id\": \"" + usage + "\", \"amount\": 6}", key());
        assertThat(tooMuch.status()).isEqualTo(422);
        assertThat(tooMuch.error()).isEqualTo("refund_exceeds_usage");
        assertThat(balance(acme, "acme")).isEqualTo(5);
    }

    private void monthlyPlan(String rollover) {
        assertOk(admin.put("/v1/plans/pro", "{\"name\": \"pro\", \"limits\": {}, \"credits_per_period\": "
                + "{\"amount\": 500, \"priority\": 10, \"rollover\": " + rollover + "}}"));
    }

    private long entriesOf(ApiClient client, String type) {
        long count = 0;
        for (JsonNode entry : assertOk(client.get("/v1/users/acme/credits/transactions?limit=100")).json().get("data")) {
            count += entry.get("type").asText().equals(type) ? 1 : 0;
        }
        return count;
    }

    @Test
    void R37_sixty_four_concurrent_first_requests_of_a_period_create_exactly_one_grant() throws Exception {
        monthlyPlan("100");
        ApiClient acme = user("acme", "pro");
        JsonNode plan = assertOk(admin.get("/v1/plans/pro")).json().get("credits_per_period");
        assertThat(plan.get("amount").asLong()).isEqualTo(500);
        assertThat(plan.get("rollover").asLong()).isEqualTo(100);

        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Long>> reads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                reads.add(pool.submit(() -> balance(acme, "acme")));
            }
            for (Future<Long> read : reads) {
                assertThat(read.get(2, TimeUnit.MINUTES)).isEqualTo(500);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(entriesOf(acme, "grant")).isEqualTo(1);
        JsonNode grant = assertOk(acme.get("/v1/users/acme/credits/grants")).json().get("data").get(0);
        assertThat(grant.get("expires_at").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(grant.get("priority").asInt()).isEqualTo(10);
    }

    @Test
    void R37_a_period_with_no_requests_still_shows_the_right_balance_later_and_rollover_carries_at_most_the_cap() {
        monthlyPlan("100");
        ApiClient acme = user("acme", "pro");
        spend(acme, "acme", 300, "export");

        clock.set(java.time.Instant.parse("2026-12-15T00:00:00Z"));

        assertThat(balance(acme, "acme")).as("December's 500 and 100 carried of November's 600").isEqualTo(600);
        assertThat(entriesOf(acme, "grant")).isEqualTo(3);
        assertThat(entriesOf(acme, "expiry")).as("October's 200 and November's 600 lapsed").isEqualTo(2);
    }

    @Test
    void R37_rollover_none_carries_nothing_and_all_carries_everything() {
        monthlyPlan("\"none\"");
        ApiClient acme = user("acme", "pro");
        spend(acme, "acme", 100, "export");
        clock.set(java.time.Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(balance(acme, "acme")).isEqualTo(500);

        monthlyPlan("\"all\"");
        clock.set(java.time.Instant.parse("2026-12-02T00:00:00Z"));
        assertThat(balance(acme, "acme")).isEqualTo(1000);
        assertThat(admin.put("/v1/plans/bad", "{\"name\": \"bad\", \"limits\": {}, \"credits_per_period\": "
                + "{\"amount\": 5, \"rollover\": \"some\"}}").error()).isEqualTo("invalid_credits_per_period");
        assertThat(admin.put("/v1/plans/bad", "{\"name\": \"bad\", \"limits\": {}, \"credits_per_period\": "
                + "{\"amount\": 0}}").error()).isEqualTo("invalid_credits_per_period");
    }

    @Test
    void R35_R36_R37_the_billing_overview_lists_the_live_grants_in_spending_order_with_remaining_and_expiry() {
        monthlyPlan("0");
        ApiClient acme = user("acme", "pro");
        JsonNode pack = grant(admin, "purchases", "{\"amount\": 1000}");
        JsonNode promo = grant(admin, "grants", "{\"amount\": 100, \"expires_at\": \"" + TOMORROW
                + "\", \"priority\": 5}");
        JsonNode spent = grant(admin, "grants", "{\"amount\": 20, \"priority\": 0}");
        assertOk(acme.post("/v1/users/acme/credits/usage", "{\"amount\": 30, \"operation\": \"export\"}", key()));

        JsonNode credits = assertOk(acme.get("/v1/users/acme/billing")).json().get("credits");

        assertThat(credits.get("balance").asLong()).isEqualTo(1000 + 100 + 20 + 500 - 30);
        JsonNode grants = credits.get("grants");
        assertThat(grants).as("the drained grant is not live").hasSize(3);
        assertThat(grants).extracting(g -> g.get("id").asText()).doesNotContain(spent.get("id").asText());
        JsonNode first = grants.get(0);
        assertThat(first.get("id").asText()).isEqualTo(promo.get("id").asText());
        assertThat(first.get("remaining").asLong()).isEqualTo(90);
        assertThat(first.get("priority").asInt()).isEqualTo(5);
        assertThat(first.get("expires_at").asText()).isEqualTo(TOMORROW);
        assertThat(first.get("expired").asBoolean()).isFalse();
        JsonNode monthly = grants.get(1);
        assertThat(monthly.get("type").asText()).isEqualTo("grant");
        assertThat(monthly.get("remaining").asLong()).isEqualTo(500);
        assertThat(monthly.get("priority").asInt()).isEqualTo(10);
        assertThat(monthly.get("expires_at").isNull()).isFalse();
        assertThat(grants.get(2).get("id").asText()).isEqualTo(pack.get("id").asText());
        assertThat(grants.get(2).get("expires_at").isNull()).isTrue();

        clock.advance(Duration.ofDays(1));

        JsonNode later = assertOk(acme.get("/v1/users/acme/billing")).json().get("credits");
        assertThat(later.get("balance").asLong()).as("the promotion's 90 lapsed at its instant")
                .isEqualTo(1000 + 500);
        assertThat(later.get("grants")).extracting(g -> g.get("id").asText())
                .doesNotContain(promo.get("id").asText()).hasSize(2);
    }

    private static final String PRICED = "{\"name\": \"Priced\", \"limits\": {\"exports\": 100}, "
            + "\"credit_prices\": {\"exports\": 3}}";

    private static String exports(String key, int quantity) {
        return "{\"records\": [{\"metric\": \"exports\", \"quantity\": " + quantity + ", \"idempotency_key\": \""
                + key + "\"}], \"enforce\": true}";
    }

    private static java.math.BigDecimal used(ApiClient client) {
        return metric(assertOk(client.get("/v1/users/acme/usage")).json(), "exports").get("used").decimalValue();
    }

    @Test
    void R38_a_priced_record_the_balance_cannot_pay_for_is_402_with_balance_and_required_and_changes_nothing() {
        assertOk(admin.put("/v1/plans/priced", PRICED));
        ApiClient acme = user("acme", "priced");
        purchase(admin, "acme", 5);

        ApiClient.Response refused = acme.post("/v1/users/acme/usage", exports("e-1", 2));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(402);
        JsonNode body = refused.json();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("error", "message", "metric", "plan", "current_usage", "limit",
                "requested", "resets_at", "balance", "required");
        assertThat(body.get("error").asText()).isEqualTo("insufficient_credits");
        assertThat(body.get("metric").asText()).isEqualTo("exports");
        assertThat(body.get("balance").asLong()).isEqualTo(5);
        assertThat(body.get("required").asLong()).isEqualTo(6);
        assertThat(body.get("limit").decimalValue()).isEqualByComparingTo("100");
        assertThat(balance(acme, "acme")).isEqualTo(5);
        assertThat(used(acme)).isEqualByComparingTo("0");
        JsonNode check = assertOk(acme.get("/v1/users/acme/entitlements/exports?quantity=2")).json();
        assertThat(check.get("allowed").asBoolean()).isFalse();
        assertThat(check.get("credits").get("required").asLong()).isEqualTo(6);
        assertThat(check.get("credits").get("balance").asLong()).isEqualTo(5);
        assertThat(check.get("credits").get("allowed").asBoolean()).isFalse();
    }

    @Test
    void R38_a_priced_record_spends_once_shows_under_its_metric_and_a_void_gives_the_credits_back() {
        assertOk(admin.put("/v1/plans/priced", PRICED));
        ApiClient acme = user("acme", "priced");
        purchase(admin, "acme", 6);

        JsonNode recorded = assertOk(acme.post("/v1/users/acme/usage", exports("e-1", 2))).json();
        assertOk(acme.post("/v1/users/acme/usage", exports("e-1", 2)));

        assertThat(balance(acme, "acme")).isZero();
        assertThat(used(acme)).isEqualByComparingTo("2");
        JsonNode spent = assertOk(acme.get("/v1/users/acme/credits/transactions")).json().get("data").get(0);
        assertThat(spent.get("type").asText()).isEqualTo("usage");
        assertThat(spent.get("amount").asLong()).isEqualTo(-6);
        assertThat(spent.get("operation").asText()).isEqualTo("exports");
        assertThat(spent.get("drawn_from").get(0).get("credits").asLong()).isEqualTo(6);
        JsonNode byOperation = assertOk(acme.get("/v1/users/acme/credits/usage-by-operation")).json()
                .get("operations").get(0);
        assertThat(byOperation.get("operation").asText()).isEqualTo("exports");
        assertThat(byOperation.get("gross").asLong()).isEqualTo(6);

        String id = recorded.get("records").get(0).get("id").asText();
        assertOk(admin.post("/v1/users/acme/usage/" + id + "/void", "{\"reason\": \"exported twice\"}"));

        assertThat(balance(acme, "acme")).isEqualTo(6);
        assertThat(used(acme)).isEqualByComparingTo("0");
        assertThat(assertOk(acme.get("/v1/users/acme/credits/usage-by-operation")).json().get("operations").get(0)
                .get("net").asLong()).isZero();
    }

    @Test
    void R38_a_plan_shows_its_credit_prices_and_bad_ones_are_a_400_that_stores_nothing() {
        JsonNode plan = assertOk(admin.put("/v1/plans/priced", PRICED)).json();
        assertThat(plan.get("credit_prices").get("exports").asLong()).isEqualTo(3);
        assertThat(assertOk(admin.put("/v1/plans/priced", "{\"name\": \"Priced\", \"limits\": {}, "
                + "\"credit_prices\": {\"exports\": 9223}}")).json().get("credit_prices").get("exports").asLong())
                .isEqualTo(9223);

        for (String price : List.of("0", "-1", "9224", "1.5", "\"two\"", "null", "{}")) {
            ApiClient.Response bad = admin.put("/v1/plans/priced", "{\"name\": \"Priced\", \"limits\": {}, "
                    + "\"credit_prices\": {\"exports\": " + price + "}}");
            assertThat(bad.status()).as(price + ": " + bad).isEqualTo(400);
            assertThat(bad.error()).as(price).isEqualTo("invalid_credit_price");
        }
        ApiClient.Response allocation = admin.put("/v1/plans/priced", "{\"name\": \"Priced\", \"limits\": {}, "
                + "\"allocations\": {\"seats\": 5}, \"credit_prices\": {\"seats\": 1}}");
        assertThat(allocation.status()).isEqualTo(400);
        assertThat(allocation.error()).isEqualTo("invalid_credit_price");
        assertThat(assertOk(admin.get("/v1/plans/priced")).json().get("credit_prices").get("exports").asLong())
                .isEqualTo(9223);
    }
}
