package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What {@link UsageVoids#voidRecord} did (R92). */
public sealed interface VoidOutcome permits VoidOutcome.Voided, VoidOutcome.NotFound, VoidOutcome.PeriodClosed {

    /**
     * The record is void: by this call ({@code now}), or already by an earlier one, whose reason
     * and instant stand.
     *
     * @param usedAfter the metric's used in the record's period once the void took it back
     * @param changed    what this call changed, by metric: the record's own metric and each meter
     *                   the record fed whose value the void changed (R92), before and after; empty
     *                   when the record was void already
     */
    record Voided(IdempotencyKey key, MetricKey metric, BigDecimal quantity, Instant occurredAt, BillingPeriod period,
                  String reason, Instant voidedAt, boolean now, BigDecimal usedAfter, List<Changed> changed)
            implements VoidOutcome {

        public Voided {
            changed = List.copyOf(changed);
        }

        /** A void that changed no meter: only its own metric, lowered by its quantity when {@code now}. */
        public Voided(IdempotencyKey key, MetricKey metric, BigDecimal quantity, Instant occurredAt,
                      BillingPeriod period, String reason, Instant voidedAt, boolean now, BigDecimal usedAfter) {
            this(key, metric, quantity, occurredAt, period, reason, voidedAt, now, usedAfter,
                    now ? List.of(new Changed(metric, usedAfter.add(quantity), usedAfter)) : List.of());
        }
    }

    /**
     * A metric's value in the record's period before and after a void: a sum lowered by the
     * record's quantity, or a meter recomputed from the facts that remain (R92), which is lower,
     * except a {@code latest} meter whose previous latest record was larger than the voided one.
     */
    record Changed(MetricKey metric, BigDecimal before, BigDecimal after) {
        public Changed {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }
    }

    /** The user has no record with that key. */
    record NotFound() implements VoidOutcome {
    }

    /** The record's period ended before the late-event window: its usage is final. */
    record PeriodClosed(BillingPeriod period) implements VoidOutcome {
    }
}
