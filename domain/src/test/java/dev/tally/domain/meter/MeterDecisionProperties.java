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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** R82 as properties: records admitted one at a time never take a meter past its limit. */
class MeterDecisionProperties {

    private static final Instant T = Instant.parse("2026-11-02T00:00:00Z");

    private static UsageRecord record(int quantity, int second, int user) {
        return new UsageRecord(new UserId("u"), new MetricKey("tokens"), BigDecimal.valueOf(quantity),
                T.plusSeconds(second), new IdempotencyKey("k"), Map.of("end_user", "e" + user));
    }

    @Property
    void R82_every_aggregation_admitted_record_by_record_stays_within_its_limit_and_agrees_with_a_fold(
            @ForAll Aggregation aggregation, @ForAll @IntRange(max = 30) int limit,
            @ForAll @Size(max = 60) List<@IntRange(min = 1, max = 40) Integer> quantities) {
        Meter meter = meter("m", aggregation, aggregation == Aggregation.UNIQUE_COUNT
                ? Optional.of("end_user") : Optional.empty(), Map.of(), List.of());
        MeterDecision.State state = MeterDecision.State.EMPTY;
        Set<String> seen = new HashSet<>();
        List<UsageRecord> admitted = new ArrayList<>();
        for (int i = 0; i < quantities.size(); i++) {
            int q = quantities.get(i);
            UsageRecord record = record(q, (i * 7) % 11, q % 13);
            MeterDecision decision = MeterDecision.decide(meter, Limit.of(limit), state, List.of(record),
                    seen::contains);
            if (decision instanceof MeterDecision.Admitted ok) {
                state = ok.after();
                seen.addAll(ok.newValues());
                admitted.add(record);
            } else if (aggregation == Aggregation.UNIQUE_COUNT) {
                assertThat(seen).as("a seen value is never refused").doesNotContain("e" + (q % 13));
            }
        }
        if (aggregation != Aggregation.LATEST || !admitted.isEmpty()) {
            assertThat(state.value()).isLessThanOrEqualTo(BigDecimal.valueOf(Math.max(limit, 0)));
        }
        assertThat(MeterDecision.fold(meter, admitted).value()).isEqualByComparingTo(state.value());
    }
}
