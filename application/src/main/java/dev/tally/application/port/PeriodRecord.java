package dev.tally.application.port;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A usage record with the billing period it counts in (R21): the period containing its
 * {@code occurred_at} under the user's schedule, computed by the use case.
 *
 * @param fingerprint what the client sent, hashed (R20): a later record under the same key is a
 *                    duplicate when its fingerprint is equal and a reused key when it differs
 */
public record PeriodRecord(UsageRecord record, BillingPeriod period, String fingerprint) {

    public PeriodRecord {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (!period.contains(record.occurredAt())) {
            throw new IllegalArgumentException("period " + period + " does not contain " + record.occurredAt());
        }
    }

    /** A record the server built itself (for a session, a code, an API call): all of it is what was "sent". */
    public PeriodRecord(UsageRecord record, BillingPeriod period) {
        this(record, period, fingerprint(record.metric(), record.quantity(), Optional.of(record.occurredAt()),
                record.dimensions()));
    }

    /**
     * The fingerprint of a usage record as it was sent (R20): {@code occurredAt} is empty when the
     * client left the instant to the server, so a replay without it is the same record.
     */
    public static String fingerprint(MetricKey metric, BigDecimal quantity, Optional<Instant> occurredAt,
                                     Map<String, String> dimensions) {
        return Fingerprint.of("usage").with("metric", metric).with("quantity", quantity)
                .with("occurred_at", occurredAt).with("dimensions", dimensions).hex();
    }
}
