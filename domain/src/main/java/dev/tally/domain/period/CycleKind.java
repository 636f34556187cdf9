package dev.tally.domain.period;

import dev.tally.domain.DomainException;
import java.util.Locale;

/** How a billing cycle cuts time into periods (R1). */
public enum CycleKind {
    /** Periods start at 00:00 on the 1st of each month in the cycle's time zone. */
    CALENDAR_MONTH,
    /** Periods start at the anchor's local day-of-month and time, clamped to short months. */
    ANNIVERSARY;

    /** The wire name, e.g. {@code calendar_month}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; anything else is {@code 400 invalid_billing_cycle}. */
    public static CycleKind fromWireName(String name) {
        for (CycleKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw DomainException.invalid("invalid_billing_cycle",
                "billing cycle must be calendar_month or anniversary, not " + name);
    }
}
