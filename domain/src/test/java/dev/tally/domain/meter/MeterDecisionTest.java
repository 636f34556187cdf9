package dev.tally.domain.meter;

import static dev.tally.domain.meter.MeterTest.meter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** R82: each aggregation's admission rule against a limit. */
class MeterDecisionTest {

    private static final Instant T = Instant.parse("2026-11-02T00:00:00Z");

    private static UsageRecord at(long quantity, Instant occurredAt, Map<String, String> dimensions) {
        return new UsageRecord(new UserId("u"), new MetricKey("tokens"), BigDecimal.valueOf(quantity), occurredAt,
                new IdempotencyKey("k"), dimensions);
    }

    private static MeterDecision.State value(long value) {
        return new MeterDecision.State(BigDecimal.valueOf(value), BigDecimal.ZERO, Optional.empty());
    }

    @Test
    void R82_max_refuses_a_record_above_the_limit_whatever_the_current_peak() {
        Meter peak = meter("peak", Aggregation.MAX, Optional.empty(), Map.of(), List.of());
        MeterDecision refused = MeterDecision.decide(peak, Limit.of(50), value(3),
                List.of(at(10, T, Map.of()), at(51, T, Map.of())), v -> false);
        assertThat(refused).isEqualTo(new MeterDecision.Refused(1, BigDecimal.valueOf(51)));
        MeterDecision admitted = MeterDecision.decide(peak, Limit.of(50), value(40), List.of(at(50, T, Map.of())),
                v -> false);
        assertThat(((MeterDecision.Admitted) admitted).after().value()).isEqualByComparingTo("50");
    }

    @Test
    void R82_unique_count_refuses_a_new_value_at_the_limit_and_always_admits_a_seen_one() {
        Meter users = meter("users", Aggregation.UNIQUE_COUNT, Optional.of("end_user"), Map.of(), List.of());
        Set<String> stored = Set.of("ann", "bob");
        MeterDecision seen = MeterDecision.decide(users, Limit.of(2), value(2),
                List.of(at(1, T, Map.of("end_user", "ann")), at(1, T, Map.of("end_user", "bob"))), stored::contains);
        assertThat(seen).isEqualTo(new MeterDecision.Admitted(value(2), BigDecimal.ZERO, List.of()));
        MeterDecision fresh = MeterDecision.decide(users, Limit.of(2), value(2),
                List.of(at(1, T, Map.of("end_user", "ann")), at(1, T, Map.of("end_user", "cid"))), stored::contains);
        assertThat(fresh).isEqualTo(new MeterDecision.Refused(1, BigDecimal.ONE));
        MeterDecision repeatedInBatch = MeterDecision.decide(users, Limit.of(3), value(2),
                List.of(at(1, T, Map.of("end_user", "cid")), at(1, T, Map.of("end_user", "cid"))), stored::contains);
        assertThat(repeatedInBatch).isEqualTo(new MeterDecision.Admitted(value(3), BigDecimal.ONE, List.of("cid")));
    }

    @Test
    void R12_R82_a_unique_count_refusal_asks_for_every_value_new_in_the_batch_so_the_plan_refuses_it_too() {
        Meter users = meter("users", Aggregation.UNIQUE_COUNT, Optional.of("end_user"), Map.of(), List.of());
        Limit two = Limit.of(2);

        MeterDecision refused = MeterDecision.decide(users, two, value(1),
                List.of(at(1, T, Map.of("end_user", "cid")), at(1, T, Map.of("end_user", "dan"))), v -> false);

        assertThat(refused).isEqualTo(new MeterDecision.Refused(1, BigDecimal.valueOf(2)));
        assertThat(two.admission(((MeterDecision.Refused) refused).requested()).admits(BigDecimal.ONE, BigDecimal.ZERO))
                .as("the 403 a client sees is the plan's decision on the same figures").isFalse();
    }

    @Test
    void R82_latest_refuses_only_a_record_that_would_become_the_latest_above_the_limit() {
        Meter storage = meter("storage_gb", Aggregation.LATEST, Optional.empty(), Map.of(), List.of());
        MeterDecision.State current = new MeterDecision.State(BigDecimal.TEN, BigDecimal.ZERO, Optional.of(T));
        MeterDecision older = MeterDecision.decide(storage, Limit.of(50), current,
                List.of(at(99, T.minusSeconds(60), Map.of())), v -> false);
        assertThat(older).isEqualTo(new MeterDecision.Admitted(current, BigDecimal.ZERO, List.of()));
        MeterDecision tie = MeterDecision.decide(storage, Limit.of(50), current, List.of(at(99, T, Map.of())),
                v -> false);
        assertThat(tie).as("a tie goes to the later arrival").isEqualTo(new MeterDecision.Refused(0,
                BigDecimal.valueOf(99)));
        MeterDecision newer = MeterDecision.decide(storage, Limit.of(50), current,
                List.of(at(20, T.plusSeconds(1), Map.of())), v -> false);
        assertThat(((MeterDecision.Admitted) newer).after()).isEqualTo(new MeterDecision.State(
                BigDecimal.valueOf(20), BigDecimal.ZERO, Optional.of(T.plusSeconds(1))));
    }

    @Test
    void R82_count_counts_records_against_used_and_reserved() {
        Meter calls = meter("calls", Aggregation.COUNT, Optional.empty(), Map.of(), List.of());
        MeterDecision.State held = new MeterDecision.State(BigDecimal.valueOf(8), BigDecimal.ONE, Optional.empty());
        assertThat(MeterDecision.decide(calls, Limit.of(10), held, List.of(at(500, T, Map.of())), v -> false))
                .isEqualTo(new MeterDecision.Admitted(new MeterDecision.State(BigDecimal.valueOf(9), BigDecimal.ONE,
                        Optional.empty()), BigDecimal.ONE, List.of()));
        assertThat(MeterDecision.decide(calls, Limit.of(10), held,
                List.of(at(1, T, Map.of()), at(1, T, Map.of())), v -> false))
                .isEqualTo(new MeterDecision.Refused(1, BigDecimal.valueOf(2)));
    }
}
