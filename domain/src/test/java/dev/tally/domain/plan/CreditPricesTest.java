package dev.tally.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.Bounds;
import dev.tally.domain.DomainException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** R38: a plan's credit prices, what a quantity of a priced metric costs, and the prices refused. */
class CreditPricesTest {

    private static final MetricKey EXPORTS = new MetricKey("exports");

    @Test
    void R38_a_quantity_costs_quantity_times_price_and_an_unpriced_metric_costs_nothing() {
        CreditPrices prices = new CreditPrices(Map.of(EXPORTS, 2L));
        assertThat(prices.creditsFor(EXPORTS, new BigDecimal("3"))).isEqualTo(6);
        assertThat(prices.creditsFor(new MetricKey("searches"), new BigDecimal("3"))).isZero();
        assertThat(prices.of(EXPORTS)).contains(2L);
        assertThat(prices.prices(new MetricKey("searches"))).isFalse();
        assertThat(CreditPrices.none().isEmpty()).isTrue();
    }

    @Test
    void R38_R34_a_fraction_of_a_credit_is_rounded_up_to_a_whole_credit() {
        CreditPrices prices = new CreditPrices(Map.of(EXPORTS, 3L));
        assertThat(prices.creditsFor(EXPORTS, new BigDecimal("0.5"))).isEqualTo(2);
        assertThat(prices.creditsFor(EXPORTS, new BigDecimal("0.000001"))).isEqualTo(1);
        assertThat(prices.creditsFor(EXPORTS, new BigDecimal("2.000"))).isEqualTo(6);
    }

    @Test
    void R38_the_largest_price_times_the_largest_quantity_fits_a_long_and_one_more_is_refused() {
        CreditPrices largest = new CreditPrices(Map.of(EXPORTS, CreditPrices.MAX_PRICE));
        assertThat(largest.creditsFor(EXPORTS, Bounds.MAX_QUANTITY))
                .isEqualTo(CreditPrices.MAX_PRICE * Bounds.MAX_QUANTITY.longValueExact());
        assertThatThrownBy(() -> new CreditPrices(Map.of(EXPORTS, CreditPrices.MAX_PRICE + 1)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_credit_price");
                    assertThat(e.getMessage()).contains("exports");
                });
    }

    @Test
    void R38_a_price_is_a_positive_whole_number_of_credits() {
        for (long price : new long[] {0, -1, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> new CreditPrices(Map.of(EXPORTS, price)))
                    .isInstanceOfSatisfying(DomainException.class,
                            e -> assertThat(e.code()).isEqualTo("invalid_credit_price"));
        }
    }

    @Test
    void R38_a_plan_prices_a_bounded_number_of_metrics() {
        Map<MetricKey, Long> many = new LinkedHashMap<>();
        for (int i = 0; i <= CreditPrices.MAX_PRICES; i++) {
            many.put(new MetricKey("m" + i), 1L);
        }
        assertThatThrownBy(() -> new CreditPrices(many)).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo("invalid_credit_price"));
    }

    @Test
    void R38_an_allocation_has_no_credit_price_and_a_plan_keeps_its_prices_through_every_change() {
        Plan plan = Plan.of(new PlanId("pro"), "Pro", PlanLimits.none())
                .withCreditPrices(new CreditPrices(Map.of(EXPORTS, 2L)));
        assertThat(plan.withLimits(new PlanLimits(Map.of(EXPORTS, Limit.of(5)))).withRateLimits(MetricRates.none())
                .withCreditsPerPeriod(Optional.empty()).creditPrices().of(EXPORTS)).contains(2L);
        assertThatThrownBy(() -> plan.withAllocations(new PlanLimits(Map.of(EXPORTS, Limit.of(5)))))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_credit_price"));
    }
}
