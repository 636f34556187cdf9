package dev.tally.domain.usage;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What one metric has used and reserved in one period. Reserved quantities (running report runs)
 * count against the limit but are not yet used (R26).
 */
public record UsageTotals(BigDecimal used, BigDecimal reserved) {

    public static final UsageTotals ZERO = new UsageTotals(BigDecimal.ZERO, BigDecimal.ZERO);

    public UsageTotals {
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(reserved, "reserved");
    }

    /** Totals after adding {@code used} and {@code reserved}. */
    public UsageTotals plus(BigDecimal moreUsed, BigDecimal moreReserved) {
        return new UsageTotals(used.add(moreUsed), reserved.add(moreReserved));
    }
}
