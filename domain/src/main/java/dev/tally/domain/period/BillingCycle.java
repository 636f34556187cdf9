package dev.tally.domain.period;

import dev.tally.domain.DomainException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One way of cutting time into billing periods: a {@link CycleKind}, an anchor instant and the
 * cycle's time zone (R1–R3).
 *
 * <p>The anchor is always a period boundary. For {@link CycleKind#ANNIVERSARY} the boundaries are
 * the anchor's local date-time plus whole months, each computed from the anchor (so an anchor on
 * Jan 31 gives Feb 28 or 29, then Mar 31, Apr 30). For {@link CycleKind#CALENDAR_MONTH} they are
 * local midnights on the 1st, plus the anchor itself. Local times are turned into instants in the
 * cycle's zone, so a daylight-saving change never opens a gap or an overlap: every boundary is one
 * instant and consecutive periods share it.
 */
public record BillingCycle(CycleKind kind, Instant anchor, ZoneId zone) {

    /**
     * The earliest and latest anchors: the span every storage keeps exactly (nanoseconds since the
     * epoch in 64 bits reach from 1677 to 2262). Periods reach from
     * {@link BillingPeriod#FIRST_INSTANT} to {@link BillingPeriod#LAST_INSTANT} (R64).
     */
    public static final Instant EARLIEST_ANCHOR = Instant.parse("1678-01-01T00:00:00Z");
    public static final Instant LATEST_ANCHOR = Instant.parse("2261-12-31T23:59:59Z");

    public BillingCycle {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(zone, "zone");
        if (anchor.isBefore(EARLIEST_ANCHOR) || anchor.isAfter(LATEST_ANCHOR)) {
            throw DomainException.invalid("invalid_anchor", "a billing anchor must lie between "
                    + EARLIEST_ANCHOR + " and " + LATEST_ANCHOR);
        }
    }

    /**
     * The cycle a user starts with, or is moved to (R5): a calendar-month cycle's periods are whole
     * calendar months in its zone from the start, so its anchor is the start of the month holding
     * {@code anchor} and usage backfilled earlier that month counts; an anniversary cycle is anchored
     * at {@code anchor} (by default the user's creation). Only a re-anchoring ({@link #anchoredAt},
     * a usage reset, R4) starts a period mid-month.
     */
    public static BillingCycle starting(CycleKind kind, Instant anchor, ZoneId zone) {
        if (kind == CycleKind.CALENDAR_MONTH) {
            Instant monthStart = anchor.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
            return new BillingCycle(kind, monthStart, zone);
        }
        return new BillingCycle(kind, anchor, zone);
    }

    /** A calendar-month cycle in UTC anchored at {@code anchor}. */
    public static BillingCycle calendarMonth(Instant anchor) {
        return new BillingCycle(CycleKind.CALENDAR_MONTH, anchor, ZoneId.of("UTC"));
    }

    /** An anniversary cycle in {@code zone} anchored at {@code anchor}. */
    public static BillingCycle anniversary(Instant anchor, ZoneId zone) {
        return new BillingCycle(CycleKind.ANNIVERSARY, anchor, zone);
    }

    /** The same kind and zone, anchored at another instant (a re-anchoring, R4). */
    public BillingCycle anchoredAt(Instant newAnchor) {
        return new BillingCycle(kind, newAnchor, zone);
    }

    /**
     * The period of this cycle that contains {@code instant}, extending the cycle in both
     * directions from its anchor, within {@link BillingPeriod#within the years 1970-9999}.
     */
    public BillingPeriod periodAt(Instant instant) {
        return switch (kind) {
            case CALENDAR_MONTH -> calendarPeriodAt(instant);
            case ANNIVERSARY -> anniversaryPeriodAt(instant);
        };
    }

    private BillingPeriod calendarPeriodAt(Instant instant) {
        var firstOfMonth = instant.atZone(zone).toLocalDate().withDayOfMonth(1);
        Instant start = firstOfMonth.atStartOfDay(zone).toInstant();
        Instant end = firstOfMonth.plusMonths(1).atStartOfDay(zone).toInstant();
        if (start.isBefore(anchor) && anchor.isBefore(end)) {
            // The anchor cuts its own month in two: nothing before it counts after it.
            return instant.isBefore(anchor) ? BillingPeriod.within(start, anchor) : BillingPeriod.within(anchor, end);
        }
        return BillingPeriod.within(start, end);
    }

    private BillingPeriod anniversaryPeriodAt(Instant instant) {
        LocalDateTime anchorLocal = anchor.atZone(zone).toLocalDateTime();
        long k = ChronoUnit.MONTHS.between(anchorLocal, instant.atZone(zone).toLocalDateTime());
        while (boundary(anchorLocal, k).isAfter(instant)) {
            k--;
        }
        while (!boundary(anchorLocal, k + 1).isAfter(instant)) {
            k++;
        }
        return BillingPeriod.within(boundary(anchorLocal, k), boundary(anchorLocal, k + 1));
    }

    /** The k-th boundary: always computed from the anchor, so month-end clamping never drifts. */
    private Instant boundary(LocalDateTime anchorLocal, long k) {
        if (k == 0) {
            return anchor;
        }
        return ZonedDateTime.of(anchorLocal.plusMonths(k), zone).toInstant();
    }
}
