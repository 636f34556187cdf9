package dev.tally.application.reservation;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Hold {@code quantity} of {@code metric} before work of unknown size (R71), for
 * {@code ttlSeconds} (default 3600, at most 86 400): an estimate of an LLM call's tokens, say,
 * committed with the actual count afterwards.
 */
public record HoldReservation(UserId user, MetricKey metric, BigDecimal quantity, OptionalLong ttlSeconds,
                              Optional<IdempotencyKey> idempotencyKey) {

    public HoldReservation {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(ttlSeconds, "ttlSeconds");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        quantity = metric.quantity(quantity);
        Reservation.ttl(ttlSeconds);
    }

    /** How long the hold lasts. */
    public Duration ttl() {
        return Reservation.ttl(ttlSeconds);
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("hold-reservation").with("metric", metric.value()).with("quantity", quantity)
                .with("ttl_seconds", ttlSeconds).hex();
    }
}
