package dev.tally.domain.run;

import dev.tally.domain.Money;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/** A run's cost in USD and where it came from (R27). */
public record RunCost(BigDecimal usd, Source source) {

    /** Where a cost came from. */
    public enum Source {
        /** The caller gave the cost. */
        GIVEN,
        /** Computed from the price table. */
        PRICE_TABLE,
        /** The model is not in the table and no cost was given: it costs 0 and is flagged. */
        UNPRICED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** No cost, and no price to tell where it came from: what a run costs until it ends. */
    public static final RunCost NONE = new RunCost(Money.usd(BigDecimal.ZERO), Source.UNPRICED);

    public RunCost {
        Objects.requireNonNull(usd, "usd");
        Objects.requireNonNull(source, "source");
    }
}
