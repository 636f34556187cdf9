package dev.tally.domain.period;

import dev.tally.domain.DomainException;
import java.time.Instant;
import java.util.Objects;

/**
 * A half-open interval of instants {@code [start, end)} (R2): usage at exactly {@code end}
 * belongs to the next period.
 */
public record BillingPeriod(Instant start, Instant end) {

    /**
     * The last instant a period may reach: the end of year 9999 (R64) to the microsecond, which
     * every storage keeps exactly and every client parses. A period that would end later ends here.
     */
    public static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

    public BillingPeriod {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw DomainException.invalid("invalid_period", "a period must end after it starts: " + start + " .. " + end);
        }
    }

    /** The period {@code [start, end)}, ending at {@link #LAST_INSTANT} if {@code end} is later. */
    public static BillingPeriod until(Instant start, Instant end) {
        return new BillingPeriod(start, end.isAfter(LAST_INSTANT) ? LAST_INSTANT : end);
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
