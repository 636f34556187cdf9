package dev.tally.domain.usage;

import dev.tally.domain.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which {@code occurred_at} values are accepted (R21): at most {@code futureTolerance} ahead of
 * the clock (default 5 minutes) and at most {@code lateWindow} behind it (default 35 days).
 * Anything outside is refused explicitly rather than counted in the wrong place.
 */
public record LateEventPolicy(Duration futureTolerance, Duration lateWindow) {

    public static final LateEventPolicy DEFAULT = new LateEventPolicy(Duration.ofMinutes(5), Duration.ofDays(35));

    public LateEventPolicy {
        Objects.requireNonNull(futureTolerance, "futureTolerance");
        Objects.requireNonNull(lateWindow, "lateWindow");
        if (futureTolerance.isNegative() || lateWindow.isNegative() || lateWindow.isZero()) {
            throw new IllegalArgumentException("tolerances must be positive");
        }
    }

    /** Refuses {@code occurredAt} when it is too far ahead of or behind {@code now}. */
    public void check(Instant occurredAt, Instant now) {
        if (occurredAt.isAfter(now.plus(futureTolerance))) {
            throw DomainException.invalid("occurred_at_in_future",
                    "occurred_at " + occurredAt + " is more than " + futureTolerance.toMinutes()
                            + " minutes in the future");
        }
        if (occurredAt.isBefore(now.minus(lateWindow))) {
            throw DomainException.invalid("occurred_at_too_old",
                    "occurred_at " + occurredAt + " is older than the late-event window of "
                            + lateWindow.toDays() + " days");
        }
    }
}
