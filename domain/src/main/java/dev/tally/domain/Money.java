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

    /** Digits before the point that storage keeps for a quantity ({@code NUMERIC(30,6)}). */
    public static final int MAX_INTEGER_DIGITS = 24;

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
     * decimal places rather than silently rounding a client's number.
     */
    public static BigDecimal quantity(BigDecimal value, String field) {
        if (value == null) {
            throw DomainException.invalid("invalid_quantity", field + " is required");
        }
        // Scale and precision first: the plain text of 1e-999999999 is a gigabyte (R64).
        if ((long) value.precision() - value.scale() > MAX_INTEGER_DIGITS) {
            throw DomainException.invalid("invalid_quantity",
                    field + " has more than " + MAX_INTEGER_DIGITS + " digits before the decimal point");
        }
        BigDecimal plain = value.stripTrailingZeros();
        if (plain.scale() > SCALE) {
            throw DomainException.invalid("invalid_quantity", field + " has more than " + SCALE + " decimal places");
        }
        return plain.scale() < 0 ? plain.setScale(0) : plain;
    }
}
