package dev.tally.domain.meter;

import dev.tally.domain.plan.Limit;
import dev.tally.domain.usage.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a batch of records does to one meter's value in one period, under the meter's limit: the
 * one statement of each aggregation's admission rule (R82), which every storage applies to what
 * it holds, locked, at the moment of writing.
 *
 * <ul>
 *   <li>{@code sum}, {@code count}: admitted iff {@code used + reserved + added <= limit} after each record (R11);</li>
 *   <li>{@code max}: a record whose quantity exceeds the limit is refused;</li>
 *   <li>{@code unique_count}: a record whose value is new in the period is refused when the
 *       distinct count is at the limit; a value already seen is always admitted and adds nothing;</li>
 *   <li>{@code latest}: a record that would become the latest ({@code occurred_at} at or after the
 *       latest one's, ties by arrival) with a quantity above the limit is refused.</li>
 * </ul>
 */
public sealed interface MeterDecision {

    /**
     * What a meter holds for one period: its value, and for {@code latest} the instant of the
     * record that gave it.
     */
    record State(BigDecimal value, BigDecimal reserved, Optional<Instant> latestAt) {

        /** Nothing recorded yet. */
        public static final State EMPTY = new State(BigDecimal.ZERO, BigDecimal.ZERO, Optional.empty());

        public State {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(reserved, "reserved");
            Objects.requireNonNull(latestAt, "latestAt");
        }
    }

    /**
     * Every record admitted.
     *
     * @param after     the state the batch leaves
     * @param added     the change to the value, for sum, count and unique_count
     * @param newValues the distinct values first seen in this batch, in request order (unique_count)
     */
    record Admitted(State after, BigDecimal added, List<String> newValues) implements MeterDecision {
        public Admitted {
            newValues = List.copyOf(newValues);
        }
    }

    /**
     * The batch is refused at the record in {@code position} (of the records given, in request
     * order), which asked for {@code requested} more.
     */
    record Refused(int position, BigDecimal requested) implements MeterDecision {
    }

    /**
     * Decides {@code records} (matching {@code meter}, in request order) against {@code limit}
     * where {@code current} is held; {@code seen} says whether a distinct value is already stored
     * in the period (unique_count; values repeated within the batch count once).
     */
    static MeterDecision decide(Meter meter, Limit limit, State current, List<UsageRecord> records,
                                Predicate<String> seen) {
        Optional<BigDecimal> max = limit.max();
        BigDecimal value = current.value();
        Optional<Instant> latestAt = current.latestAt();
        BigDecimal added = BigDecimal.ZERO;
        List<String> fresh = new ArrayList<>();
        Set<String> inBatch = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            UsageRecord record = records.get(i);
            BigDecimal q = record.quantity();
            switch (meter.aggregation()) {
                case SUM, COUNT -> {
                    BigDecimal step = meter.contribution(record);
                    added = added.add(step);
                    if (max.isPresent() && value.add(current.reserved()).add(added).compareTo(max.get()) > 0) {
                        return new Refused(i, added);
                    }
                }
                case MAX -> {
                    if (max.isPresent() && q.compareTo(max.get()) > 0) {
                        return new Refused(i, q);
                    }
                    value = value.max(q);
                }
                case LATEST -> {
                    boolean becomesLatest = latestAt.map(at -> !record.occurredAt().isBefore(at)).orElse(true);
                    if (becomesLatest) {
                        if (max.isPresent() && q.compareTo(max.get()) > 0) {
                            return new Refused(i, q);
                        }
                        value = q;
                        latestAt = Optional.of(record.occurredAt());
                    }
                }
                case UNIQUE_COUNT -> {
                    String distinct = meter.distinctValue(record);
                    if (!seen.test(distinct) && inBatch.add(distinct)) {
                        BigDecimal count = value.add(added).add(BigDecimal.ONE);
                        if (max.isPresent() && count.compareTo(max.get()) > 0) {
                            // What the batch asks for: every value new in it up to this one (R12).
                            return new Refused(i, added.add(BigDecimal.ONE));
                        }
                        added = added.add(BigDecimal.ONE);
                        fresh.add(distinct);
                    }
                }
                default -> throw new IllegalStateException(meter.aggregation().toString());
            }
        }
        if (meter.aggregation().additive() || meter.aggregation() == Aggregation.UNIQUE_COUNT) {
            value = value.add(added);
        }
        return new Admitted(new State(value, current.reserved(), latestAt), added, fresh);
    }

    /** {@link #decide} for a meter kept in memory (no limit unless given), as storages and reconcile fold facts. */
    static State fold(Meter meter, List<UsageRecord> inArrivalOrder) {
        Set<String> seen = new HashSet<>();
        State state = State.EMPTY;
        for (UsageRecord record : inArrivalOrder) {
            if (!meter.matches(record)) {
                continue;
            }
            MeterDecision decision = decide(meter, Limit.unlimited(), state, List.of(record), seen::contains);
            Admitted admitted = (Admitted) decision;
            seen.addAll(admitted.newValues());
            state = admitted.after();
        }
        return state;
    }
}
