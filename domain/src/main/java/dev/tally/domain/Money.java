package dev.tally.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money and metered quantities are exact decimals with at most six places (R34). Nothing in
 * accounting uses floating point.
 */
public final class Money {

    /** Places kept for USD amounts and decimal quantities. */
    public static final int SCALE = 6;

    /**
     * The largest quantity or amount one value may carry (R64): beyond any real meter reading or
     * price, and small enough that a billion of them still sum inside the NUMERIC(30,6) columns
     * that store them.
     */
    public static final BigDecimal MAX_QUANTITY = Bounds.MAX_QUANTITY;

    private Money() {
    }

    /** An amount in USD at scale 6, rounded half-up. */
    public static BigDecimal usd(BigDecimal amount) {
        return amount.setScale(SCALE, RoundingMode.HALF_UP);
    }

    /** An amount in USD at scale 6, from its decimal text. */
    public static BigDecimal usd(String amount) {
        return usd(new BigDecimal(amount));
    }

    /** Zero at scale 6. */
    public static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(SCALE);
    }

    /**
     * A quantity in its simplest form ({@code 5} not {@code 5.000000}), refusing more than six
     * decimal places rather than silently rounding a client's number, and more than
     * {@link #MAX_QUANTITY}.
     */
    public static BigDecimal quantity(BigDecimal value, String field) {
        if (value == null) {
            throw DomainException.invalid("invalid_quantity", field + " is required");
        }
        BigDecimal plain = value.stripTrailingZeros();
        // Checked without spelling the number out: 1e-999999999 has a billion digits (R64).
        if (plain.scale() > SCALE) {
            throw DomainException.invalid("invalid_quantity", field + " has more than " + SCALE + " decimal places");
        }
        if (plain.abs().compareTo(MAX_QUANTITY) > 0) {
            throw DomainException.invalid("invalid_quantity", field + " is at most " + MAX_QUANTITY.toPlainString());
        }
        return plain.scale() < 0 ? plain.setScale(0) : plain;
    }
}
