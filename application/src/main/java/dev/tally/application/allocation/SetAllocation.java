package dev.tally.application.allocation;

import dev.tally.domain.DomainException;
import dev.tally.domain.Fingerprint;
import dev.tally.domain.Money;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Set an allocation outright, as an operator importing existing counts does (R72): any value of
 * zero or more, above the limit if need be (it then shows {@code exceeded} and increases are
 * refused until it is back under), in whole units.
 */
public record SetAllocation(UserId user, MetricKey metric, BigDecimal value, Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public SetAllocation {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        value = Money.quantity(value, "value");
        if (value.signum() < 0) {
            throw DomainException.invalid("invalid_value", "an allocation cannot be negative: " + value.toPlainString());
        }
        if (value.scale() > 0) {
            throw DomainException.invalid("invalid_value", "an allocation counts whole units, not "
                    + value.toPlainString());
        }
    }

    /** Set {@code metric}'s allocation of {@code user} to {@code value}, without an idempotency key. */
    public static SetAllocation of(UserId user, MetricKey metric, long value) {
        return new SetAllocation(user, metric, BigDecimal.valueOf(value), Optional.empty());
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("set-allocation").with("metric", metric.value()).with("value", value).hex();
    }
}
