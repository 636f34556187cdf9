package dev.tally.application.port;

import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.meter.MeterDecision;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.usage.UsageRecord;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a meter's rollup of one period should hold, recomputed from its source's facts in arrival
 * order (R84): its value, its distinct values, and its groups, the first
 * {@link MeterStore#MAX_GROUPS} apart and later ones under "other" (R83). What reconcile compares
 * the stored rollups with.
 */
public final class MeterFold {

    /** One value and its distinct values. */
    public static final class Part {
        private MeterDecision.State state = MeterDecision.State.EMPTY;
        private final Set<String> distinct = new HashSet<>();

        public MeterDecision.State state() {
            return state;
        }

        public Set<String> distinct() {
            return distinct;
        }

        void take(Meter meter, UsageRecord record) {
            MeterDecision.Admitted taken = (MeterDecision.Admitted) MeterDecision.decide(meter, Limit.unlimited(),
                    state, List.of(record), distinct::contains);
            state = taken.after();
            distinct.addAll(taken.newValues());
        }
    }

    private final Meter meter;
    private final Part whole = new Part();
    private final Map<Map<String, String>, Part> groups = new LinkedHashMap<>();
    private Part other;

    private MeterFold(Meter meter) {
        this.meter = meter;
    }

    /** The fold of {@code records} (of any metric, in arrival order) into {@code meter}. */
    public static MeterFold of(Meter meter, List<UsageRecord> records) {
        MeterFold fold = new MeterFold(meter);
        records.stream().filter(meter::matches).forEach(fold::take);
        return fold;
    }

    private void take(UsageRecord record) {
        whole.take(meter, record);
        if (meter.groupBy().isEmpty()) {
            return;
        }
        Map<String, String> group = meter.groupOf(record);
        Part part = groups.get(group);
        if (part == null && groups.size() < MeterStore.MAX_GROUPS) {
            part = new Part();
            groups.put(group, part);
        } else if (part == null) {
            other = other == null ? new Part() : other;
            part = other;
        }
        part.take(meter, record);
    }

    /** The meter's value, latest instant and distinct values. */
    public Part whole() {
        return whole;
    }

    /** The groups kept apart, in the order they appeared. */
    public Map<Map<String, String>, Part> groups() {
        return groups;
    }

    /** The group of the records beyond the kept groups, if any. */
    public Optional<Part> other() {
        return Optional.ofNullable(other);
    }

    /** Whether the meter counts distinct values. */
    public boolean unique() {
        return meter.aggregation() == Aggregation.UNIQUE_COUNT;
    }
}
