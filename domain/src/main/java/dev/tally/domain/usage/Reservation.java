package dev.tally.domain.usage;

import dev.tally.domain.DomainException;
import dev.tally.domain.plan.MetricKey;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A hold of {@code quantity} of a metric against its limit (R71), for work whose size is known
 * only afterwards: it counts as reserved until it is committed (the actual quantity, at most the
 * held one, is recorded and the rest released), released, or expires. A hold stops counting at its
 * expiry instant whether or not anything has swept it yet, so its state is always read against the
 * clock ({@link #stateAt}).
 *
 * @param committedQuantity what a commit recorded; empty unless committed
 */
public record Reservation(String id, MetricKey metric, BigDecimal quantity, Instant heldAt, Instant expiresAt,
                          ReservationState state, Optional<BigDecimal> committedQuantity) {

    /** How long a hold lasts unless the client says otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** The longest a hold may last. */
    public static final Duration MAX_TTL = Duration.ofDays(1);

    public Reservation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(heldAt, "heldAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(committedQuantity, "committedQuantity");
    }

    /** The time to live of {@code ttl_seconds}: default one hour, 1 to 86 400 seconds. */
    public static Duration ttl(OptionalLong seconds) {
        if (seconds.isEmpty()) {
            return DEFAULT_TTL;
        }
        long value = seconds.getAsLong();
        if (value < 1 || value > MAX_TTL.toSeconds()) {
            throw DomainException.invalid("invalid_ttl", "ttl_seconds must be 1-" + MAX_TTL.toSeconds() + ", not " + value);
        }
        return Duration.ofSeconds(value);
    }

    /** A new hold of {@code quantity} at {@code now}, for {@code ttl}. */
    public static Reservation hold(String id, MetricKey metric, BigDecimal quantity, Instant now, Duration ttl) {
        return new Reservation(id, metric, metric.quantity(quantity), now, now.plus(ttl), ReservationState.HELD,
                Optional.empty());
    }

    /** The state at {@code now}: a hold whose expiry has come is expired, swept or not. */
    public ReservationState stateAt(Instant now) {
        return state == ReservationState.HELD && !now.isBefore(expiresAt) ? ReservationState.EXPIRED : state;
    }

    /** This hold as seen at {@code now}. */
    public Reservation asOf(Instant now) {
        return new Reservation(id, metric, quantity, heldAt, expiresAt, stateAt(now), committedQuantity);
    }

    /**
     * Commits {@code actual} (default: all of it) at {@code now}: at most the held quantity, not
     * negative; the rest is released. A hold that is no longer held is {@code 409}.
     */
    public Reservation commit(Optional<BigDecimal> actual, Instant now) {
        requireHeld(now);
        BigDecimal committed = actual.map(this::checkedActual).orElse(quantity);
        return new Reservation(id, metric, quantity, heldAt, expiresAt, ReservationState.COMMITTED,
                Optional.of(committed));
    }

    /** Releases the hold at {@code now}; a hold that is no longer held is {@code 409}. */
    public Reservation release(Instant now) {
        requireHeld(now);
        return new Reservation(id, metric, quantity, heldAt, expiresAt, ReservationState.RELEASED, Optional.empty());
    }

    private BigDecimal checkedActual(BigDecimal actual) {
        BigDecimal checked = actual.signum() == 0 ? BigDecimal.ZERO : metric.quantity(actual);
        if (checked.signum() < 0 || checked.compareTo(quantity) > 0) {
            throw DomainException.invalid("invalid_quantity", "a commit records 0 to " + quantity.toPlainString()
                    + " of " + metric + ", not " + actual.toPlainString());
        }
        return checked;
    }

    private void requireHeld(Instant now) {
        ReservationState current = stateAt(now);
        if (current == ReservationState.EXPIRED) {
            throw DomainException.conflict("reservation_expired", "reservation " + id + " expired at " + expiresAt);
        }
        if (current != ReservationState.HELD) {
            throw DomainException.conflict("reservation_not_held", "reservation " + id + " is already "
                    + current.wireName());
        }
    }
}
