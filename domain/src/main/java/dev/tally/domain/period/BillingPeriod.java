package dev.tally.domain.period;

import dev.tally.domain.DomainException;
import java.time.Instant;
import java.util.Objects;

/**
 * A half-open interval of instants {@code [start, end)} (R2): usage at exactly {@code end}
 * belongs to the next period.
 */
public record BillingPeriod(Instant start, Instant end) {

    public BillingPeriod {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw DomainException.invalid("invalid_period", "a period must end after it starts: " + start + " .. " + end);
        }
    }

    /** Whether {@code instant} lies in {@code [start, end)}. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    /** When usage counted in this period stops counting: the instant the next period starts. */
    public Instant resetsAt() {
        return end;
    }
}
