package dev.tally.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** R22: the unit of a metric's quantities, stated once by {@link MetricKey#inUnits}. */
class MetricKeyUnitsTest {

    @Test
    void R22_a_metric_that_counts_whole_units_takes_whole_quantities_only_however_they_are_written() {
        assertThat(MetricKey.RUNS.inUnits(new BigDecimal("5.000"))).isTrue();
        assertThat(MetricKey.RUNS.inUnits(new BigDecimal("5E+1"))).isTrue();
        assertThat(MetricKey.RUNS.inUnits(new BigDecimal("0.5"))).isFalse();
        assertThat(new MetricKey("api_calls.search").inUnits(new BigDecimal("1.25"))).isFalse();
        assertThat(new MetricKey("gpu_hours").inUnits(new BigDecimal("1.25"))).isTrue();
    }

    @Test
    void R22_the_domain_refuses_what_the_unit_rule_refuses() {
        assertThat(MetricKey.RUNS.quantity(new BigDecimal("5.000"))).isEqualByComparingTo("5");
        assertThatThrownBy(() -> MetricKey.RUNS.quantity(new BigDecimal("0.5")))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_quantity"));
    }
}
