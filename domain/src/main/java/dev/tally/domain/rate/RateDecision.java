package dev.tally.domain.rate;

import java.math.BigInteger;
import java.util.Optional;

/** What a {@link MetricRate} decides about a quantity at an instant (R90, R91). */
public sealed interface RateDecision permits RateDecision.Admitted, RateDecision.Refused {

    /** The rate decided by. */
    MetricRate rate();

    /** Whole cells the rate still admits at once after this decision. */
    long remaining();

    /**
     * Admitted: the stored TAT becomes {@code tat}.
     *
     * @param tat        the new theoretical arrival time, in ticks of the rate
     * @param remaining  whole cells still admitted at once
     * @param resetNanos nanoseconds until the rate is whole again
     */
    record Admitted(MetricRate rate, BigInteger tat, long remaining, long resetNanos) implements RateDecision {
    }

    /**
     * Refused: nothing changes.
     *
     * @param retryAfterNanos the exact wait after which the same quantity is admitted (absent other
     *                        writers); empty when the quantity exceeds what the rate ever admits at once
     * @param remaining       whole cells admitted at once now
     */
    record Refused(MetricRate rate, Optional<Long> retryAfterNanos, long remaining) implements RateDecision {

        /** The wait in milliseconds, rounded up. */
        public Optional<Long> retryAfterMillis() {
            return retryAfterNanos.map(nanos -> (nanos + 999_999) / 1_000_000);
        }

        /** The wait in whole seconds, rounded up, at least 1: the {@code Retry-After} header (R91). */
        public Optional<Long> retryAfterSeconds() {
            return retryAfterNanos.map(nanos -> Math.max(1, (nanos + 999_999_999) / 1_000_000_000));
        }
    }

    /**
     * Where a rate stands at an instant, deciding nothing (R70).
     *
     * @param remaining  whole cells admitted at once
     * @param resetNanos nanoseconds until the rate is whole again
     */
    record Standing(MetricRate rate, long remaining, long resetNanos) {
    }
}
