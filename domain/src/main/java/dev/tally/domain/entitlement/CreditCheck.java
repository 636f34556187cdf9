package dev.tally.domain.entitlement;

import java.math.BigInteger;
import java.util.Objects;

/**
 * What an entitlement check of a credit-priced metric (R38, R70) found of the credits: the
 * {@code price} of one unit, the {@code balance} now, and the credits the requested quantity
 * would spend ({@code required}); allowed only when the balance pays for it, as the enforced write
 * that follows would be.
 */
public record CreditCheck(long price, long balance, BigInteger required) {

    public CreditCheck {
        Objects.requireNonNull(required, "required");
    }

    /** Whether the balance pays for the requested quantity. */
    public boolean allows() {
        return required.compareTo(BigInteger.valueOf(balance)) <= 0;
    }
}
