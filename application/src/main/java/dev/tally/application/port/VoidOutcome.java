package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import java.math.BigDecimal;
import java.time.Instant;

/** What {@link UsageVoids#voidRecord} did (R92). */
public sealed interface VoidOutcome permits VoidOutcome.Voided, VoidOutcome.NotFound, VoidOutcome.PeriodClosed {

    /**
     * The record is void: by this call ({@code now}), or already by an earlier one, whose reason
     * and instant stand.
     *
     * @param usedAfter the metric's used in the record's period once the void took it back
     */
    record Voided(IdempotencyKey key, MetricKey metric, BigDecimal quantity, Instant occurredAt, BillingPeriod period,
                  String reason, Instant voidedAt, boolean now, BigDecimal usedAfter) implements VoidOutcome {
    }

    /** The user has no record with that key. */
    record NotFound() implements VoidOutcome {
    }

    /** The record's period ended before the late-event window: its usage is final. */
    record PeriodClosed(BillingPeriod period) implements VoidOutcome {
    }
}
