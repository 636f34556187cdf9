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
     * The first and the last instant a period may reach: the years 1970-9999 every instant a
     * client sends lies in (R64), the end to the microsecond, which every storage keeps exactly and
     * every client parses. A period that would start before 1970 starts at the first, and one that
     * would end after 9999 ends at the last, so that every instant written can be sent back.
     */
    public static final Instant FIRST_INSTANT = Instant.EPOCH;
    public static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

    public BillingPeriod {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw DomainException.invalid("invalid_period", "a period must end after it starts: " + start + " .. " + end);
        }
    }

    /**
     * The part of {@code [start, end)} within {@link #FIRST_INSTANT} and {@link #LAST_INSTANT}; a
     * period wholly outside them is kept as it is.
     */
    public static BillingPeriod within(Instant start, Instant end) {
        Instant from = start.isBefore(FIRST_INSTANT) && end.isAfter(FIRST_INSTANT) ? FIRST_INSTANT : start;
        Instant to = end.isAfter(LAST_INSTANT) && start.isBefore(LAST_INSTANT) ? LAST_INSTANT : end;
        return new BillingPeriod(from, to);
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
