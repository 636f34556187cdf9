package dev.tally.application.entitlement;

import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * Would {@code quantity} more of {@code metric} be allowed for {@code user} now (R70)? The
 * quantity is positive and, for a metric that counts whole things, whole (R22).
 */
public record CheckEntitlement(UserId user, MetricKey metric, BigDecimal quantity) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public CheckEntitlement {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(metric, "metric");
        quantity = metric.quantity(quantity);
    }

    /** A check of one more. */
    public static CheckEntitlement ofOne(UserId user, MetricKey metric) {
        return new CheckEntitlement(user, metric, BigDecimal.ONE);
    }
}
