package dev.tally.domain.usage;

import java.util.Locale;

/** Where a reservation stands (R71). Only {@link #HELD} counts against the limit. */
public enum ReservationState {
    /** Counts against the limit until committed, released or expired. */
    HELD,
    /** Ended by recording the actual quantity; the rest was released. */
    COMMITTED,
    /** Ended without recording anything. */
    RELEASED,
    /** Its time ran out; it stopped counting at its expiry instant. */
    EXPIRED;

    /** The wire name, e.g. {@code held}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
