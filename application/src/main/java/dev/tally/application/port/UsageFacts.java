package dev.tally.application.port;

import dev.tally.domain.meter.Meter;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricBound;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The usage facts and, kept beside them in the same transaction, one rollup per
 * (user, metric, period) holding {@code used} and {@code reserved} (R10, R13, R20, R21, R26): what
 * records usage. The rollups of one (user, period) are counted in the same transaction, so that a
 * write which would add a metric beyond the user's {@link MetricBound} is refused exactly, on one
 * node or many (R67). What a write asks is worked out by {@link BatchPlan}; a storage stores the
 * facts and raises the rollups within the conditions the plan gives.
 *
 * <p>The rollups are a cache: {@link #reconcile} recomputes them from the facts and the open holds.
 */
public interface UsageFacts {

    /**
     * Appends usage records atomically (R13, R20, R21). Records whose idempotency key is already
     * stored for the user with the same payload are duplicates: skipped, not counted again. New
     * records are stored and added to the rollup of their own period. For each metric in
     * {@code enforce}, the sum of the new records of each period must satisfy
     * {@code used + reserved + requested <= limit} at the moment of writing, or no record is
     * stored, nothing is counted and the breach of the first offending record in request order is
     * returned ({@link Denied#firstOffending}; an implementation may leave an empty rollup behind,
     * which readers do not show as usage). A key stored with a different payload also stores and
     * counts nothing, and the first such key in request order is returned.
     */
    default AppendResult append(UserId user, List<PeriodRecord> records, Map<MetricKey, Limit> enforce) {
        return append(user, records, enforce, Set.of());
    }

    /**
     * {@link #append(UserId, List, Map)}, also reporting, for each rollup of a metric in
     * {@code watch} that it raised, the rollup's new {@code used} as the same atomic write left it
     * ({@link AppendResult.Raised}): what alert thresholds are checked against (R75). Rollups of
     * other metrics cost nothing more.
     */
    default AppendResult append(UserId user, List<PeriodRecord> records, Map<MetricKey, Limit> enforce,
                                Set<MetricKey> watch) {
        return append(user, records, enforce, watch, MetricBound.unbounded());
    }

    /**
     * {@link #append(UserId, List, Map, Set)} within {@code bound} (R67): when the new records
     * would give a period more metrics than the bound admits ({@link MetricBound#refused}, checked
     * against the period's rollups at the moment of writing, after the limits of {@code enforce}),
     * nothing is stored and {@link MetricsFull} names the metric that found no room. A period's
     * metrics are its rollups, whatever they hold; a refused write leaves none behind.
     */
    default AppendResult append(UserId user, List<PeriodRecord> records, Map<MetricKey, Limit> enforce,
                                Set<MetricKey> watch, MetricBound bound) {
        return append(user, records, enforce, watch, bound, List.of());
    }

    /**
     * {@link #append(UserId, List, Map, Set, MetricBound)} where each new record also feeds every
     * one of {@code meters} whose source and filter it matches, in the same atomic write (R81):
     * the rollup of (meter, period) is raised as the meter aggregates, its groups too (R83), and
     * where {@code enforce} names a meter's key the batch is granted or denied as one across every
     * metric and meter it touches, the refusal that of the first record in request order (R82).
     */
    AppendResult append(UserId user, List<PeriodRecord> records, Map<MetricKey, Limit> enforce, Set<MetricKey> watch,
                        MetricBound bound, List<Meter> meters);

    /**
     * Refiles every fact and open reservation of {@code user} into the period {@code periodOf}
     * gives for its instant and rebuilds the user's rollups: used after the user's billing
     * schedule was replaced.
     */
    void refile(UserId user, Function<Instant, BillingPeriod> periodOf);

    /**
     * Recomputes every rollup from the facts and open reservations and reports each difference;
     * with {@code repair}, overwrites the rollups with the recomputed values.
     */
    ReconcileReport reconcile(boolean repair, ReconcileProgress progress);
}
