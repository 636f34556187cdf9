package dev.tally.domain.plan;

import java.util.Locale;

/** Where a user's limit, allocation or feature comes from (R73): its plan, or an override of it. */
public enum Source {
    PLAN, OVERRIDE;

    /** The name every answer shows: {@code plan} or {@code override}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
