package dev.tally.application.usage;

import dev.tally.domain.meter.Meter;
import dev.tally.domain.meter.MeterDecision;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageSeries;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A meter's series (R52, R81) as the changes of its value per slice, so that the running total
 * of a series is the meter's value at each bucket's end: for {@code sum} and {@code count} the
 * slice's additions, for {@code unique_count} the values first seen in it (a running distinct
 * count), for {@code max} and {@code latest} how the value changed by the slice's end (so the
 * running total is the maximum or the latest quantity at that instant).
 */
final class MeterSeries {

    private MeterSeries() {
    }

    /** The change of {@code meter}'s value per slice, from its source's records of one period. */
    static SortedMap<Instant, BigDecimal> slices(Meter meter, List<UsageRecord> stored, Duration slice) {
        List<UsageRecord> byTime = stored.stream().filter(meter::matches)
                .sorted(Comparator.comparing(UsageRecord::occurredAt)).toList();
        SortedMap<Instant, BigDecimal> changes = new TreeMap<>();
        MeterDecision.State state = MeterDecision.State.EMPTY;
        Set<String> seen = new HashSet<>();
        for (UsageRecord record : byTime) {
            MeterDecision.Admitted taken = (MeterDecision.Admitted) MeterDecision.decide(meter, Limit.unlimited(),
                    state, List.of(record), seen::contains);
            seen.addAll(taken.newValues());
            BigDecimal change = taken.after().value().subtract(state.value());
            state = taken.after();
            changes.merge(UsageSeries.sliceStart(record.occurredAt(), slice), change, BigDecimal::add);
        }
        return changes;
    }
}
