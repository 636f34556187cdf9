package dev.tally.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageRecordTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private static UsageRecord record(String quantity, Map<String, String> dimensions) {
        return new UsageRecord(new UserId("acme"), new MetricKey("gpu_hours"), new BigDecimal(quantity), NOW,
                new IdempotencyKey("k1"), dimensions);
    }

    @Test
    void R22_quantities_are_positive_with_at_most_six_decimals() {
        assertThat(record("2.500000", Map.of()).quantity()).isEqualTo(new BigDecimal("2.5"));
        assertThat(record("1E+2", Map.of()).quantity()).isEqualTo(new BigDecimal("100"));
        assertThatThrownBy(() -> record("0", Map.of())).isInstanceOf(DomainException.class)
                .extracting("code").isEqualTo("invalid_quantity");
        assertThatThrownBy(() -> record("-1", Map.of())).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> record("0.0000001", Map.of())).isInstanceOf(DomainException.class);
    }

    @Test
    void R64_quantities_are_at_most_10_to_the_15_and_a_refusal_never_spells_the_number_out() {
        assertThat(record("1000000000000000", Map.of()).quantity()).isEqualByComparingTo("1E+15");
        for (String huge : List.of("1000000000000000.000001", "1e999999999", "1e-999999999", "1e25")) {
            assertThatThrownBy(() -> record(huge, Map.of())).isInstanceOf(DomainException.class)
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(100))
                    .extracting("code").isEqualTo("invalid_quantity");
        }
    }

    @Test
    void R22_counted_metrics_take_whole_quantities_and_others_decimals() {
        assertThatThrownBy(() -> new UsageRecord(new UserId("acme"), MetricKey.ACTIVATION_CODES, new BigDecimal("0.5"),
                NOW, new IdempotencyKey("k"), Map.of())).extracting("code").isEqualTo("invalid_quantity");
        assertThatThrownBy(() -> new UsageRecord(new UserId("acme"), MetricKey.apiCalls("video"), new BigDecimal("1.5"),
                NOW, new IdempotencyKey("k"), Map.of())).isInstanceOf(DomainException.class);
        assertThat(new UsageRecord(new UserId("acme"), MetricKey.RUNS, new BigDecimal("2.000"), NOW,
                new IdempotencyKey("k"), Map.of()).quantity()).isEqualTo(new BigDecimal("2"));
        assertThat(new UsageRecord(new UserId("acme"), MetricKey.COST_USD, new BigDecimal("0.125"), NOW,
                new IdempotencyKey("k"), Map.of()).quantity()).isEqualTo(new BigDecimal("0.125"));
    }

    @Test
    void R21_occurred_at_more_than_five_minutes_ahead_is_refused() {
        LateEventPolicy policy = LateEventPolicy.DEFAULT;

        policy.check(NOW.plus(Duration.ofMinutes(5)), NOW);
        assertThatThrownBy(() -> policy.check(NOW.plus(Duration.ofMinutes(5)).plusSeconds(1), NOW))
                .extracting("code").isEqualTo("occurred_at_in_future");
    }

    @Test
    void R21_occurred_at_older_than_the_late_event_window_is_refused() {
        LateEventPolicy policy = new LateEventPolicy(Duration.ofMinutes(5), Duration.ofDays(35));

        policy.check(NOW.minus(Duration.ofDays(35)), NOW);
        assertThatThrownBy(() -> policy.check(NOW.minus(Duration.ofDays(35)).minusSeconds(1), NOW))
                .extracting("code").isEqualTo("occurred_at_too_old");
    }
}
