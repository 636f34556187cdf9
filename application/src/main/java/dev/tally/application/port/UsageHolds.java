package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricBound;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import dev.tally.domain.usage.Reservation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Holds (R26, R71): a quantity held against a limit in {@code reserved} of its rollup until it is
 * committed (what was used recorded, the rest released), released, or ended after its expiry. Holds
 * share the rollups of {@link UsageFacts}, in the same transactions.
 */
public interface UsageHolds {

    /**
     * Holds {@code quantity} of {@code metric} under {@code reservationId} until {@code expiresAt}
     * (R71), atomically and only if {@code limit}'s {@link dev.tally.domain.plan.Admission} of
     * {@code quantity} admits what the rollup holds; otherwise {@link Denied} with what it holds,
     * and nothing is held. Until it ends, the hold counts in {@code reserved}; from {@code expiresAt}
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

    /** A hold made by {@link #hold}, in its stored state. */
    Optional<Reservation> reservation(UserId user, String reservationId);

    /**
     * Ends a hold that is still held at {@code now} (not ended, and not expired by then) by
     * recording {@code quantity} of it as used in the hold's period under {@code idempotencyKey}
     * (nothing when zero) and releasing the rest (R71, R26). Reports the hold's rollup with its new
     * {@code used}, as the same atomic step left it (R75); empty, changing nothing, when it is not
     * held at {@code now}. A run passes its start as {@code now}: its success counts its hold
     * whenever it comes, unless the hold was ended.
     */
    Optional<AppendResult.Raised> commit(UserId user, String reservationId, BigDecimal quantity, String idempotencyKey,
                                         Instant now);

    /**
     * Ends a hold of a meter (R71, R81) that is still held at {@code now} as committed with
     * {@code quantity}, taking all of it out of {@code reserved}, then runs {@code record} in the
     * same atomic step (no other write of the user comes between): a meter has no facts of its
     * own, so {@code record} records the usage of the meter's source that feeds it. False, changing
     * nothing and running nothing, when it is not held at {@code now}.
     */
    boolean settle(UserId user, String reservationId, BigDecimal quantity, Instant now, Runnable record);

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
}
