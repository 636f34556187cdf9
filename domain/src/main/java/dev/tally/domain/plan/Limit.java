package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * A limit is a non-negative number or explicitly unlimited (R11). {@code Limit.of(0)} allows
 * nothing; it never means "unlimited".
 */
public sealed interface Limit {

    /** No limit at all. */
    static Limit unlimited() {
        return Unlimited.INSTANCE;
    }

    /** At most {@code max} per period. */
    static Limit of(long max) {
        return new Max(BigDecimal.valueOf(max));
    }

    /** At most {@code max} per period; decimals for money metrics such as {@code cost_usd}. */
    static Limit of(BigDecimal max) {
        return new Max(max);
    }

    /** The number, or empty when unlimited. */
    Optional<BigDecimal> max();

    /** The admission of a request for {@code requested} more under this limit: the one rule (R11, R13). */
    default Admission admission(BigDecimal requested) {
        return new Admission(requested, max());
    }

    default boolean isUnlimited() {
        return max().isEmpty();
    }

    /** The unlimited limit. */
    enum Unlimited implements Limit {
        INSTANCE;

        @Override
        public Optional<BigDecimal> max() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "unlimited";
        }
    }

    /** A finite limit. */
    record Max(BigDecimal value) implements Limit {

        public Max {
            value = Money.quantity(value, "limit");
            if (value.signum() < 0) {
                throw DomainException.invalid("invalid_limit", "a limit cannot be negative: " + value.toPlainString());
            }
        }

        @Override
        public Optional<BigDecimal> max() {
            return Optional.of(value);
        }

        @Override
        public String toString() {
            return value.toPlainString();
        }
    }
}
