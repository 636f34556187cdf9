package dev.tally.application.credit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Which period a report covers: the current one, the previous one, or the one containing an instant. */
public record PeriodSelector(boolean previous, Optional<Instant> at) {

    public PeriodSelector {
        Objects.requireNonNull(at, "at");
        if (previous && at.isPresent()) {
            throw new IllegalArgumentException("either previous or an instant, not both");
        }
    }

    public static PeriodSelector current() {
        return new PeriodSelector(false, Optional.empty());
    }

    public static PeriodSelector previousPeriod() {
        return new PeriodSelector(true, Optional.empty());
    }

    public static PeriodSelector at(Instant instant) {
        return new PeriodSelector(false, Optional.of(instant));
    }
}
