package dev.tally.domain.plan;

import dev.tally.domain.Bounds;
import dev.tally.domain.DomainException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A plan's {@code credit_prices} (R38): the whole credits one unit of a metric costs. An enforced
 * record of a priced metric also spends {@code quantity × price} credits, rounded up to a whole
 * credit (R34), in the same transaction as the usage. A metric absent here costs no credits. A
 * price is positive and at most {@link #MAX_PRICE}, so that the largest quantity a record may
 * carry ({@link Bounds#MAX_QUANTITY}) still costs a number of credits that fits a {@code long}.
 * The prices keep the order they were given in.
 */
public record CreditPrices(Map<MetricKey, Long> byMetric) {

    /** The most credits a unit may cost: {@code MAX_PRICE × MAX_QUANTITY} still fits a {@code long}. */
    public static final long MAX_PRICE = Long.MAX_VALUE / Bounds.MAX_QUANTITY.longValueExact();

    /** The most metrics one plan may price. */
    public static final int MAX_PRICES = 100;

    public CreditPrices {
        Objects.requireNonNull(byMetric, "byMetric");
        if (byMetric.size() > MAX_PRICES) {
            throw DomainException.invalid("invalid_credit_price", "a plan prices at most " + MAX_PRICES + " metrics");
        }
        Map<MetricKey, Long> copy = new LinkedHashMap<>();
        byMetric.forEach((metric, price) -> copy.put(Objects.requireNonNull(metric, "metric"),
                checked(metric, Objects.requireNonNull(price, "price"))));
        byMetric = Collections.unmodifiableMap(copy);
    }

    /** No metric costs credits. */
    public static CreditPrices none() {
        return new CreditPrices(Map.of());
    }

    /**
     * {@code price} as the price of {@code metric}: positive and at most {@link #MAX_PRICE}, else
     * {@code 400 invalid_credit_price} naming the metric.
     */
    public static long checked(MetricKey metric, long price) {
        if (price < 1 || price > MAX_PRICE) {
            throw DomainException.invalid("invalid_credit_price", "the credit price of " + metric
                    + " must be a whole number of credits from 1 to " + MAX_PRICE + "; it is " + price);
        }
        return price;
    }

    /** The price of one unit of {@code metric}, if the plan names one. */
    public Optional<Long> of(MetricKey metric) {
        return Optional.ofNullable(byMetric.get(metric));
    }

    /** Whether {@code metric} costs credits. */
    public boolean prices(MetricKey metric) {
        return byMetric.containsKey(metric);
    }

    /** Whether no metric costs credits. */
    public boolean isEmpty() {
        return byMetric.isEmpty();
    }

    /**
     * The credits {@code quantity} of {@code metric} costs: {@code quantity × price} rounded up to a
     * whole credit, 0 for a metric without a price. Exact for any quantity a record may carry.
     */
    public long creditsFor(MetricKey metric, BigDecimal quantity) {
        Long price = byMetric.get(metric);
        if (price == null || quantity.signum() <= 0) {
            return 0;
        }
        BigInteger credits = quantity.multiply(BigDecimal.valueOf(price)).setScale(0, RoundingMode.CEILING)
                .toBigIntegerExact();
        // Within MAX_QUANTITY a record always fits; larger sums are the caller's to add exactly.
        return credits.bitLength() < Long.SIZE ? credits.longValue() : Long.MAX_VALUE;
    }
}
