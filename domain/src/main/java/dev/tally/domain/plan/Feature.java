package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a plan grants beside its limits (R73): a feature that is on or off ({@code "sso": true}),
 * or a configuration value, a number ({@code "retention_days": 90}) or a short text
 * ({@code "support_tier": "priority"}). An entitlement check answers it with its {@link #kind()}.
 */
public sealed interface Feature {

    /** The longest text a configuration value may hold, in characters. */
    int MAX_TEXT_LENGTH = 200;

    /** {@code boolean} for a feature that is on or off, {@code config} for a value. */
    String kind();

    /** A feature that is on or off. */
    static Feature flag(boolean enabled) {
        return new Flag(enabled);
    }

    /** A numeric configuration value. */
    static Feature number(BigDecimal value) {
        return new Number(value);
    }

    /** A short text configuration value. */
    static Feature text(String value) {
        return new Text(value);
    }

    /** On or off. */
    record Flag(boolean enabled) implements Feature {
        @Override
        public String kind() {
            return "boolean";
        }
    }

    /** A number, at most six decimals, as plans' other numbers. */
    record Number(BigDecimal value) implements Feature {
        public Number {
            Objects.requireNonNull(value, "value");
            if (value.stripTrailingZeros().scale() > 6 || value.abs().compareTo(BigDecimal.valueOf(1_000_000_000_000L)) > 0) {
                throw DomainException.invalid("invalid_feature", "a feature's number has at most six decimals and"
                        + " at most 13 digits before the point: " + value.toPlainString());
            }
            value = value.stripTrailingZeros();
            if (value.scale() < 0) {
                value = value.setScale(0);
            }
        }

        @Override
        public String kind() {
            return "config";
        }
    }

    /** A short text: 1–200 characters, without control characters. */
    record Text(String value) implements Feature {
        public Text {
            if (value == null || value.isEmpty() || value.length() > MAX_TEXT_LENGTH
                    || value.codePoints().anyMatch(Character::isISOControl)) {
                throw DomainException.invalid("invalid_feature", "a feature's text is 1-" + MAX_TEXT_LENGTH
                        + " characters without control characters");
            }
        }

        @Override
        public String kind() {
            return "config";
        }
    }
}
