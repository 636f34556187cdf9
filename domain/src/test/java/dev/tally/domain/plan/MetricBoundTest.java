package dev.tally.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricBoundTest {

    private static final MetricKey GPU = new MetricKey("gpu");

    private static List<MetricKey> metrics(String... names) {
        return java.util.Arrays.stream(names).map(MetricKey::new).toList();
    }

    @Test
    void R67_new_metrics_fit_while_the_period_has_room_declared_ones_first_and_the_first_without_room_is_named() {
        MetricBound three = new MetricBound(3, Set.of(GPU));

        assertThat(three.refused(1, metrics("a", "b"))).isEmpty();
        assertThat(three.refused(1, metrics("a", "b", "c"))).contains(new MetricKey("c"));
        assertThat(three.refused(1, metrics("a", "gpu", "b"))).as("gpu fits first").contains(new MetricKey("b"));
        assertThat(three.refused(5, metrics("gpu"))).as("declared always fit").isEmpty();
        assertThat(three.refused(5, metrics("x", "y"))).contains(new MetricKey("x"));
        assertThat(new MetricBound(0, Set.of()).refused(0, metrics("x"))).contains(new MetricKey("x"));
        assertThat(MetricBound.unbounded().refused(Integer.MAX_VALUE - 1L, metrics("x"))).isEmpty();
    }

    @Test
    void R67_a_plan_declares_its_limits_allocations_and_tallys_own_metrics_and_its_max_metrics_wins() {
        Plan plan = Plan.of(new PlanId("p"), "P", new PlanLimits(Map.of(GPU, Limit.of(5))))
                .withAllocations(new PlanLimits(Map.of(new MetricKey("seats"), Limit.of(2))));

        MetricBound bound = plan.metricBound(1000);

        assertThat(bound.max()).isEqualTo(1000);
        assertThat(bound.declared()).contains(GPU, new MetricKey("seats"), MetricKey.RUNS, MetricKey.COST_USD,
                MetricKey.ACTIVATION_CODES_REDEEMED);
        assertThat(bound.declares(MetricKey.apiCalls("video"))).isFalse();
        assertThat(plan.withMaxMetrics(7).metricBound(1000).max()).isEqualTo(7);
        assertThat(plan.withMaxMetrics(7).withAlerts(PlanAlerts.DEFAULT).maxMetrics()).hasValue(7);
        assertThat(Optional.of(plan.withMaxMetrics(0).metricBound(1000).max())).contains(0);
    }

    @Test
    void R67_max_metrics_is_0_to_100000_and_allocation_limits_are_whole() {
        Plan plan = Plan.of(new PlanId("p"), "P", PlanLimits.none());

        assertThatThrownBy(() -> plan.withMaxMetrics(-1)).isInstanceOf(DomainException.class)
                .hasMessageContaining("max_metrics");
        assertThatThrownBy(() -> plan.withMaxMetrics(100_001)).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> plan.withAllocations(new PlanLimits(Map.of(new MetricKey("seats"),
                Limit.of(new java.math.BigDecimal("1.5"))))))
                .isInstanceOf(DomainException.class).extracting(e -> ((DomainException) e).code())
                .isEqualTo("invalid_limit");
    }
}
