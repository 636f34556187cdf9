package dev.tally.domain.meter;

import dev.tally.domain.DomainException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a meter turns the records it matches into one value per period (R81): a sum of quantities,
 * a count of records, the greatest quantity, the number of distinct values of one dimension, or
 * the quantity of the latest record.
 */
public enum Aggregation {
    SUM, COUNT, MAX, UNIQUE_COUNT, LATEST;

    /** The name clients write, {@code unique_count} for {@link #UNIQUE_COUNT}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The aggregation named {@code wire}; else {@code 400 unknown_aggregation}. */
    public static Aggregation parse(String wire) {
        for (Aggregation aggregation : values()) {
            if (aggregation.wire().equals(wire)) {
                return aggregation;
            }
        }
        throw DomainException.invalid("unknown_aggregation", "aggregation must be one of "
                + Arrays.stream(values()).map(Aggregation::wire).collect(Collectors.joining(", ")));
    }

    /**
     * Whether the value is a running total that a limit bounds as {@code used + reserved + q <=
     * limit} (R11): sum and count, which reservations may hold against too.
     */
    public boolean additive() {
        return this == SUM || this == COUNT;
    }
}
