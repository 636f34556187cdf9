package dev.tally.application.port;

import dev.tally.domain.meter.Meter;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Meter definitions (R81) and the per-group values their writes keep (R83), beside the ledger
 * whose records feed them. A meter's own value in a period is its rollup, read as any metric's.
 */
public interface MeterStore {

    /** At most this many groups per (user, meter, period) are kept apart; later ones count under "other". */
    int MAX_GROUPS = 1_000;

    /** Every meter, by key. */
    List<Meter> meters();

    /** A meter by key. */
    Optional<Meter> meter(MetricKey key);

    /**
     * A number that changes whenever a meter is defined or changed, read cheaply: a caller may keep
     * {@link #meters()} until it changes.
     */
    long metersVersion();

    /**
     * Defines or redefines a meter, checked in one transaction against what is stored: refused
     * when its definition changes after it recorded usage, when its source already feeds
     * {@link Meter#MAX_PER_SOURCE} meters, when its key is a recorded metric or a source of meters,
     * or when its source is a meter.
     */
    PutMeter putMeter(Meter meter, Instant at);

    /** What {@link #putMeter} did. */
    enum PutMeter { CREATED, UPDATED, UNCHANGED, IN_USE, TOO_MANY, KEY_RECORDED, KEY_IS_SOURCE, SOURCE_IS_METER }

    /**
     * Recomputes the rollups of every meter (or of {@code only}) whose period ends after
     * {@code since} from the stored facts of its source, in arrival order ({@link MeterFold}):
     * values, latest instants, distinct sets and groups (R84); reports each rollup that differs
     * and, with {@code repair}, overwrites it. A meter defined after its source had records reports
     * those periods until it is repaired: the backfill of {@code reconcile --meter KEY}.
     */
    ReconcileReport reconcileMeters(Optional<MetricKey> only, Instant since, boolean repair);

    /**
     * The values of a meter's groups in {@code period} (R83), largest first; the group of the
     * records beyond {@link #MAX_GROUPS} is {@link MeterGroup#other}.
     */
    List<MeterGroup> meterGroups(UserId user, MetricKey meter, BillingPeriod period);

    /**
     * One group's value.
     *
     * @param group each group-by dimension with its value; empty for "other"
     * @param other whether this is the group of the records beyond {@link #MAX_GROUPS} groups
     */
    record MeterGroup(Map<String, String> group, boolean other, BigDecimal value) {
        public MeterGroup {
            group = Map.copyOf(group);
            Objects.requireNonNull(value, "value");
        }
    }
}
