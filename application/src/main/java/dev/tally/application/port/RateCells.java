package dev.tally.application.port;

import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.rate.RateDecision;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The state of the plans' rate limits (R90): one cell per (user, metric), its theoretical arrival
 * time, changed only by one conditional statement per decision, so that the rate is exact on one
 * node or many without reading before writing. Not the HTTP server's per-key request rate.
 */
public interface RateCells {

    /** Cells of a storage that keeps none: every call fails, so that no rate passes unchecked. */
    RateCells UNAVAILABLE = new RateCells() {
        @Override
        public RateDecision take(UserId user, MetricKey metric, MetricRate rate, BigDecimal quantity, Instant now) {
            throw new IllegalStateException("this storage keeps no rate limits");
        }

        @Override
        public void giveBack(UserId user, MetricKey metric, MetricRate rate, BigDecimal quantity) {
            throw new IllegalStateException("this storage keeps no rate limits");
        }

        @Override
        public RateDecision.Standing standing(UserId user, MetricKey metric, MetricRate rate, Instant now) {
            throw new IllegalStateException("this storage keeps no rate limits");
        }
    };

    /**
     * Takes {@code quantity} of {@code rate} at {@code now} in one conditional write: admitted (the
     * cell moved on) or refused (nothing changed). Inside a transaction the cell stays locked to
     * it until it ends, so that {@link #giveBack} can undo the take exactly.
     */
    RateDecision take(UserId user, MetricKey metric, MetricRate rate, BigDecimal quantity, Instant now);

    /**
     * Undoes, in the same transaction, a {@link #take} of {@code quantity} whose write was refused
     * or found already stored: a refused or replayed record spends nothing (R20, R91).
     */
    void giveBack(UserId user, MetricKey metric, MetricRate rate, BigDecimal quantity);

    /** Where the rate stands at {@code now}, writing nothing (R70). */
    RateDecision.Standing standing(UserId user, MetricKey metric, MetricRate rate, Instant now);
}
