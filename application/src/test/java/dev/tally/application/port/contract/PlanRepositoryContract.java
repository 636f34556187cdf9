package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.assertSameValue;
import static dev.tally.application.port.contract.Fixtures.dec;
import static dev.tally.application.port.contract.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.PlanRepository;
import dev.tally.domain.plan.CreditPrices;
import dev.tally.domain.plan.DisplayNames;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanAlerts;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link PlanRepository} promises. */
public abstract class PlanRepositoryContract {

    protected abstract PlanRepository plans();

    @Test
    void R11_a_plan_keeps_zero_unlimited_and_decimal_limits_apart() {
        PlanId id = new PlanId(newId("pro"));
        Plan plan = new Plan(id, "Pro", new PlanLimits(Map.of(
                MetricKey.RUNS, Limit.of(0),
                MetricKey.SESSIONS, Limit.unlimited(),
                MetricKey.COST_USD, Limit.of(dec("12.345678")))), Optional.of(dec("25.5")), 75);
        plans().save(plan);

        Plan stored = plans().find(id).orElseThrow();
        assertSameValue(stored, plan);
        assertThat(stored.limitOf(MetricKey.RUNS)).isEqualTo(Limit.of(0));
        assertThat(stored.limitOf(MetricKey.SESSIONS)).isEqualTo(Limit.unlimited());
        assertThat(plans().find(new PlanId(newId("missing")))).isEmpty();
    }

    @Test
    void R38_a_plan_keeps_its_credit_prices_in_their_order_and_a_change_replaces_them() {
        PlanId id = new PlanId(newId("priced"));
        Map<MetricKey, Long> prices = new LinkedHashMap<>();
        prices.put(new MetricKey("exports"), 2L);
        prices.put(new MetricKey("api_calls.search"), CreditPrices.MAX_PRICE);
        Plan priced = Plan.of(id, "Priced", new PlanLimits(Map.of())).withCreditPrices(new CreditPrices(prices));
        plans().save(priced);

        assertThat(plans().find(id).orElseThrow().creditPrices().byMetric()).containsExactlyEntriesOf(prices);
        assertThat(plans().all()).filteredOn(plan -> plan.id().equals(id)).singleElement()
                .extracting(Plan::creditPrices).isEqualTo(priced.creditPrices());

        plans().save(priced.withCreditPrices(CreditPrices.none()));
        assertThat(plans().find(id).orElseThrow().creditPrices().isEmpty()).isTrue();
    }

    @Test
    void R75_a_plan_keeps_its_alert_thresholds_and_low_balance_and_none_are_none() {
        PlanId alerted = new PlanId(newId("alerted"));
        PlanId silent = new PlanId(newId("silent"));
        Plan withAlerts = Plan.of(alerted, "Alerted", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(10))))
                .withAlerts(new PlanAlerts(List.of(100, 50, 90), Optional.of(25L)));
        Plan withoutAlerts = Plan.of(silent, "Silent", new PlanLimits(Map.of()))
                .withAlerts(new PlanAlerts(List.of(), Optional.empty()));
        plans().save(withAlerts);
        plans().save(withoutAlerts);

        assertThat(plans().find(alerted).orElseThrow().alerts())
                .isEqualTo(new PlanAlerts(List.of(50, 90, 100), Optional.of(25L)));
        assertThat(plans().find(silent).orElseThrow().alerts().thresholdsPercent()).isEmpty();
        assertThat(plans().all()).filteredOn(plan -> plan.id().equals(alerted)).singleElement()
                .extracting(Plan::alerts).isEqualTo(withAlerts.alerts());
    }

    @Test
    void R64_a_plan_keeps_its_display_names_in_their_order_and_a_plan_without_any_shows_keys() {
        PlanId named = new PlanId(newId("named"));
        PlanId plain = new PlanId(newId("plain"));
        MetricKey searches = MetricKey.apiCalls("search");
        Map<MetricKey, String> names = new LinkedHashMap<>();
        names.put(searches, "Searches = lookups, \"quoted\" & <b>ü</b> 🚀");
        names.put(MetricKey.ACTIVATION_CODES_REDEEMED, "Codes redeemed");
        names.put(MetricKey.RUNS, "x".repeat(DisplayNames.MAX_LENGTH));
        Plan plan = Plan.of(named, "Named", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(10))))
                .withDisplayNames(new DisplayNames(names));
        plans().save(plan);
        plans().save(Plan.of(plain, "Plain", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(10)))));

        Plan stored = plans().find(named).orElseThrow();
        assertSameValue(stored, plan);
        assertThat(stored.displayNames().byMetric()).containsExactlyEntriesOf(names);
        assertThat(stored.displayName(MetricKey.SESSIONS)).isEqualTo("sessions");
        assertThat(plans().all()).filteredOn(p -> p.id().equals(named)).singleElement()
                .extracting(Plan::displayNames).isEqualTo(plan.displayNames());
        assertThat(plans().find(plain).orElseThrow().displayNames().byMetric()).isEmpty();

        plans().save(plan.withDisplayNames(DisplayNames.none()));
        assertThat(plans().find(named).orElseThrow().displayName(searches)).isEqualTo("api_calls.search");
    }

    @Test
    void R11_a_plan_without_limits_is_found_with_none_and_without_a_file_size_cap() {
        PlanId id = new PlanId(newId("open"));
        Plan plan = Plan.of(id, "Open", new PlanLimits(Map.of()));
        plans().save(plan);

        Plan stored = plans().find(id).orElseThrow();
        assertSameValue(stored, plan);
        assertThat(stored.limits().byMetric()).isEmpty();
        assertThat(stored.maxFileSizeMb()).isEmpty();
    }

    @Test
    void R14_saving_a_plan_again_replaces_it() {
        PlanId id = new PlanId(newId("team"));
        plans().save(Plan.of(id, "Team", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(5)))));
        Plan replaced = Plan.of(id, "Team+", new PlanLimits(Map.of(MetricKey.SESSIONS, Limit.of(9))));
        plans().save(replaced);

        assertSameValue(plans().find(id).orElseThrow(), replaced);
        assertThat(plans().all()).extracting(Plan::id).contains(id);
        assertThat(plans().all()).extracting(p -> p.id().value()).isSorted();
    }
}
