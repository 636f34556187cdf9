package dev.tally.domain.usage;

import dev.tally.domain.DomainException;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable fact: this user used this much of this metric at this instant (R20–R22).
 *
 * @param dimensions free-form attributes such as provider, operation or model; at most 20
 */
public record UsageRecord(UserId user, MetricKey metric, BigDecimal quantity, Instant occurredAt,
                          IdempotencyKey idempotencyKey, Map<String, String> dimensions) {

    private static final int MAX_DIMENSIONS = 20;
    private static final int MAX_DIMENSION_LENGTH = 200;

    public UsageRecord {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        quantity = metric.quantity(quantity);
        dimensions = dimensions == null ? Map.of() : Map.copyOf(new TreeMap<>(checkedDimensions(dimensions)));
    }

    /**
     * {@code dimensions} if they are valid: at most 20, each name 1-64 characters and each value
     * at most 200; else {@code 400 invalid_dimensions}. Checked in the order given, before any copy.
     */
    public static Map<String, String> checkedDimensions(Map<String, String> dimensions) {
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw DomainException.invalid("invalid_dimensions", "at most " + MAX_DIMENSIONS + " dimensions per record");
        }
        dimensions.forEach((key, value) -> {
            if (key == null || key.isBlank() || key.length() > 64 || value == null
                    || value.length() > MAX_DIMENSION_LENGTH) {
                throw DomainException.invalid("invalid_dimensions",
                        "dimension names are 1-64 characters and values at most " + MAX_DIMENSION_LENGTH);
            }
        });
        return dimensions;
    }
}
