package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricBound;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.usage.UsageTotals;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * The usage facts and, kept beside them in the same transaction, one rollup per
 * (user, metric, period) holding {@code used} and {@code reserved} (R10, R13, R20, R21, R26).
 * The rollups of one (user, period) are counted in the same transaction, so that a write which
 * would add a metric beyond the user's {@link MetricBound} is refused exactly, on one node or many
 * (R67).
 *
 * <p>Every read of usage comes from the rollups, so reading a user's current usage costs the
 * same however much history there is. The rollups are a cache: {@link #reconcile} recomputes
 * them from the facts and the open reservations.
 */
public interface UsageLedger {

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
    AppendResult append(UserId user, List<PeriodRecord> records, Map<MetricKey, Limit> enforce, Set<MetricKey> watch,
                        MetricBound bound);

    /** Used and reserved of every metric with a rollup in {@code period}. */
    Map<MetricKey, UsageTotals> totals(UserId user, BillingPeriod period);

    /** Used and reserved of one metric in {@code period}; zero when nothing was recorded. */
    default UsageTotals totals(UserId user, MetricKey metric, BillingPeriod period) {
        return totals(user, period).getOrDefault(metric, UsageTotals.ZERO);
    }

    /**
     * The quantities of {@code metric} filed in {@code period}, summed per epoch-aligned
     * {@code slice}: slice start to sum, only slices with usage (R52). Reads the period's facts
     * only, never the user's history.
     */
    SortedMap<Instant, BigDecimal> usageBySlice(UserId user, MetricKey metric, BillingPeriod period, Duration slice);

    /**
     * Every rollup, of every user, whose period contains {@code at}, with usage or a reservation
     * (R53): what the operator's list is answered from, never a scan of facts.
     */
    List<PeriodTotals> rollupsAt(Instant at);

    /**
     * Reserves {@code quantity} of {@code metric} in {@code period} under {@code reservationId},
     * atomically and only if {@code used + reserved + quantity <= limit} (R26). The reservation
     * counts against the limit until it is {@linkplain #release released} or
     * {@linkplain #consume consumed}.
     *
     * @throws IllegalStateException if a reservation with this id is already held
     */
    ReserveResult reserve(UserId user, String reservationId, MetricKey metric, BigDecimal quantity, Instant at,
                          BillingPeriod period, Limit limit);

    /**
     * Holds {@code quantity} of {@code metric} under {@code reservationId} until {@code expiresAt}
     * (R71), atomically and only if {@code used + reserved + quantity <= limit}; otherwise as
     * {@link #reserve}. Until it ends, the hold counts in {@code reserved}; from {@code expiresAt}
     * on, {@link #expired} reports it so that readers stop counting it, and {@link #expire} ends it.
     *
     * @throws IllegalStateException if a reservation with this id is already held
     */
    default ReserveResult hold(UserId user, String reservationId, MetricKey metric, BigDecimal quantity, Instant at,
                               Instant expiresAt, BillingPeriod period, Limit limit) {
        return hold(user, reservationId, metric, quantity, at, expiresAt, period, limit, MetricBound.unbounded());
    }

    /**
     * {@link #hold(UserId, String, MetricKey, BigDecimal, Instant, Instant, BillingPeriod, Limit)}
     * within {@code bound}: a hold that would add its metric to a full period is {@link MetricsFull}
     * (after the limit), and holds nothing (R67).
     */
    ReserveResult hold(UserId user, String reservationId, MetricKey metric, BigDecimal quantity, Instant at,
                       Instant expiresAt, BillingPeriod period, Limit limit, MetricBound bound);

    /** A reservation made by {@link #hold} or {@link #reserve}, in its stored state. */
    Optional<Reservation> reservation(UserId user, String reservationId);

    /**
     * Ends a hold that is still held at {@code now} (not expired) by recording {@code quantity} of
     * it as used in the hold's period under {@code idempotencyKey} (nothing when zero) and
     * releasing the rest (R71). Returns false, changing nothing, when it is not held at {@code now}.
     */
    boolean commit(UserId user, String reservationId, BigDecimal quantity, String idempotencyKey, Instant now);

    /** Releases a hold still held at {@code now}; false, changing nothing, when it is not. */
    boolean release(UserId user, String reservationId, Instant now);

    /**
     * Ends every hold of (user, metric, period) whose expiry has come by {@code now}, taking it out of
     * {@code reserved}; returns how many. Readers discount such holds already ({@link #expired}), so
     * this changes no figure anyone sees: it lets a check-and-record that was refused try again.
     */
    int expire(UserId user, MetricKey metric, BillingPeriod period, Instant now);

    /**
     * The quantities still counted in {@code reserved} of {@code period} by holds whose expiry has
     * come by {@code now}, by metric: what a reader subtracts so that an expired hold stops counting
     * at its instant (R71). Reads only open holds, never history.
     */
    Map<MetricKey, BigDecimal> expired(UserId user, BillingPeriod period, Instant now);

    /** Gives a held reservation back; a reservation that is not held is left alone. */
    void release(UserId user, String reservationId);

    /**
     * Turns a held reservation into used quantity of its own period, stored as a fact under
     * {@code idempotencyKey}; returns false when no such reservation is held.
     */
    default boolean consume(UserId user, String reservationId, String idempotencyKey) {
        return consumeReporting(user, reservationId, idempotencyKey).isPresent();
    }

    /**
     * {@link #consume}, reporting the rollup it raised with its new {@code used}, as the same
     * atomic step left it (R75); empty when no such reservation is held.
     */
    Optional<AppendResult.Raised> consumeReporting(UserId user, String reservationId, String idempotencyKey);

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
