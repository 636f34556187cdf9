package dev.tally.domain.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed delivery is tried again (R76): exponential backoff from {@link #FIRST_DELAY},
 * doubling up to {@link #MAX_DELAY}, each delay moved by up to ±{@link #JITTER} so that
 * endpoints that failed together are not retried together; after {@link #GIVE_UP_AFTER} from the
 * first attempt, the delivery is failed.
 */
public final class RetrySchedule {

    public static final Duration FIRST_DELAY = Duration.ofSeconds(10);
    public static final Duration MAX_DELAY = Duration.ofHours(6);
    public static final Duration GIVE_UP_AFTER = Duration.ofDays(3);
    /** The share of a delay that jitter may add or take away. */
    public static final double JITTER = 0.2;

    private RetrySchedule() {
    }

    /**
     * The instant of the next attempt after {@code attemptsMade} failed ones, the last at
     * {@code now}, the first at {@code firstAttemptAt}; empty when the delivery has been tried for
     * {@link #GIVE_UP_AFTER} and is failed.
     *
     * @param random a number in [0, 1) that picks the jitter
     */
    public static Optional<Instant> next(int attemptsMade, Instant firstAttemptAt, Instant now, double random) {
        if (!now.isBefore(firstAttemptAt.plus(GIVE_UP_AFTER))) {
            return Optional.empty();
        }
        return Optional.of(now.plus(delay(attemptsMade, random)));
    }

    /** The delay after the {@code attemptsMade}-th failed attempt, jitter included. */
    public static Duration delay(int attemptsMade, double random) {
        int doublings = Math.min(Math.max(attemptsMade - 1, 0), 30);
        long base = Math.min(FIRST_DELAY.toMillis() << doublings, MAX_DELAY.toMillis());
        double factor = 1 + JITTER * (2 * random - 1);
        return Duration.ofMillis(Math.round(base * factor));
    }
}
