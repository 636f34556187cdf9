package dev.tally.application.usage;

import dev.tally.application.port.PeriodRecord;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of a usage batch as a client sends it; {@code occurredAt} defaults to now. Its
 * quantity and dimensions are checked at once (R22), so that a refused batch names its first
 * offending record in request order.
 */
public record UsageItem(MetricKey metric, BigDecimal quantity, Optional<Instant> occurredAt,
                        IdempotencyKey idempotencyKey, Map<String, String> dimensions) {

    public UsageItem {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        dimensions = dimensions == null ? Map.of() : dimensions;
        // Checked as each record is read, so that a refused batch names its first offending record.
        metric.quantity(quantity);
        UsageRecord.checkedDimensions(dimensions);
    }

    /**
     * What makes a retry of this record the same record (R20): what the client sent. A record
     * sent without {@code occurred_at} and replayed without it is the same record, whatever
     * instant the server assigned to it the first time.
     */
    public String fingerprint() {
        return PeriodRecord.fingerprint(metric, quantity, occurredAt, dimensions);
    }

    /** {@code quantity} of {@code metric} now, without dimensions. */
    public static UsageItem of(MetricKey metric, long quantity, String idempotencyKey) {
        return new UsageItem(metric, BigDecimal.valueOf(quantity), Optional.empty(), new IdempotencyKey(idempotencyKey),
                Map.of());
    }
}
