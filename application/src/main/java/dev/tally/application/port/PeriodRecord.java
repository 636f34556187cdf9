package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.usage.UsageRecord;
import java.util.Objects;

/**
 * A usage record with the billing period it counts in (R21): the period containing its
 * {@code occurred_at} under the user's schedule, computed by the use case.
 */
public record PeriodRecord(UsageRecord record, BillingPeriod period) {

    public PeriodRecord {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(period, "period");
        if (!period.contains(record.occurredAt())) {
            throw new IllegalArgumentException("period " + period + " does not contain " + record.occurredAt());
        }
    }
}
