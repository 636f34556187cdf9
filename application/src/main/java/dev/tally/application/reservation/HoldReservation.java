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

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public HoldReservation {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(ttlSeconds, "ttlSeconds");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        quantity = metric.quantity(quantity);
        Reservation.ttl(ttlSeconds);
    }

    /** Hold {@code quantity} of {@code metric} for the default hour, without an idempotency key. */
    public static HoldReservation of(UserId user, MetricKey metric, BigDecimal quantity) {
        return new HoldReservation(user, metric, quantity, OptionalLong.empty(), Optional.empty());
    }

    /** This hold, lasting {@code seconds} (1 to 86 400). */
    public HoldReservation withTtlSeconds(long seconds) {
        return new HoldReservation(user, metric, quantity, OptionalLong.of(seconds), idempotencyKey);
    }

    /** This hold, made idempotent by {@code key} (R20). */
    public HoldReservation withIdempotencyKey(IdempotencyKey key) {
        return new HoldReservation(user, metric, quantity, ttlSeconds, Optional.of(key));
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
