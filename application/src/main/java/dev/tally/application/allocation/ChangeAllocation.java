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
 * Raise or lower an allocation by {@code delta} (R72): a seat added is {@code +1}, a project
 * deleted {@code -1}. An increase is a check-and-record against the plan's allocation limit
 * (R13); a decrease never takes the value below zero. Allocations count whole units.
 */
public record ChangeAllocation(UserId user, MetricKey metric, BigDecimal delta,
                               Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public ChangeAllocation {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        delta = Money.quantity(delta, "delta");
        if (delta.signum() == 0) {
            throw DomainException.invalid("invalid_delta", "delta must not be zero");
        }
        if (delta.scale() > 0) {
            throw DomainException.invalid("invalid_delta", "an allocation counts whole units; delta cannot be "
                    + delta.toPlainString());
        }
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("change-allocation").with("metric", metric.value()).with("delta", delta).hex();
    }
}
