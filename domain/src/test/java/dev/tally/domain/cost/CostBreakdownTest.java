package dev.tally.domain.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CostBreakdownTest {

    private static final BillingPeriod PERIOD =
            new BillingPeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));

    private static ProviderCost cost(String provider, String usd, long calls) {
        return new ProviderCost(provider, new BigDecimal(usd), calls);
    }

    @Test
    void R42_providers_sorted_by_cost_with_the_top_n_listed_and_the_rest_summed_as_other() {
        List<ProviderCost> perProvider = List.of(cost("serper", "0.5", 50), cost("openai", "12.25", 400),
                cost("wavespeed", "7", 10), cost("google", "3.1", 30), cost("tavily", "0.75", 75),
                cost("stability", "1", 4), cost("exa", "0.2", 20));

        CostBreakdown breakdown = CostBreakdown.of(PERIOD, perProvider, Limit.of(new BigDecimal("50")), 3);

        assertThat(breakdown.providers()).extracting(ProviderCost::provider).containsExactly("openai", "wavespeed", "google");
        assertThat(breakdown.other().costUsd()).isEqualByComparingTo("2.45");
        assertThat(breakdown.other().calls()).isEqualTo(149);
        assertThat(breakdown.totalCostUsd()).isEqualByComparingTo("24.80");
        assertThat(breakdown.budgetUsd()).contains(new BigDecimal("50.000000"));
        assertThat(breakdown.percent()).contains(new BigDecimal("49.6"));
    }

    @Test
    void R42_no_budget_means_no_percent_and_nothing_to_list_is_all_zero() {
        CostBreakdown breakdown = CostBreakdown.of(PERIOD, List.of(), Limit.unlimited(), CostBreakdown.DEFAULT_TOP);

        assertThat(breakdown.totalCostUsd()).isZero();
        assertThat(breakdown.budgetUsd()).isEmpty();
        assertThat(breakdown.percent()).isEmpty();
        assertThat(breakdown.other().calls()).isZero();
    }

    @Test
    void R41_the_provider_given_wins_then_the_price_table_then_the_model_name_then_unknown() {
        ProviderDetector detector = ProviderDetector.withDefaults();

        assertThat(detector.detect(Optional.of("WaveSpeed"), Optional.of("gpt-4o"), Optional.empty())).isEqualTo("WaveSpeed");
        assertThat(detector.detect(Optional.empty(), Optional.of("my-model"), Optional.of("acme-ai"))).isEqualTo("acme-ai");
        assertThat(detector.detect(Optional.empty(), Optional.of("claude-3-5-sonnet"), Optional.empty())).isEqualTo("anthropic");
        assertThat(detector.detect(Optional.empty(), Optional.of("Gemini-1.5-Pro"), Optional.empty())).isEqualTo("google");
        assertThat(detector.detect(Optional.empty(), Optional.of("brand-new-model"), Optional.empty())).isEqualTo("unknown");
        assertThat(detector.detect(Optional.of("  "), Optional.empty(), Optional.empty())).isEqualTo("unknown");
    }

    @Test
    void R41_the_detection_table_is_configurable() {
        ProviderDetector detector = new ProviderDetector(Map.of("brand-", "brandco"));

        assertThat(detector.detect(Optional.empty(), Optional.of("brand-new-model"), Optional.empty())).isEqualTo("brandco");
    }
}
