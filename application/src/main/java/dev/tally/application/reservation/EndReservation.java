package dev.tally.application.reservation;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import dev.tally.domain.usage.UsageRecord;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Optional;

/**
 * End a hold (R71): commit it, recording {@code quantity} (at most the held quantity; default all
 * of it) and releasing the rest, or release it whole ({@code commit} false, no quantity).
 */
public record EndReservation(UserId user, String reservationId, boolean commit, Optional<BigDecimal> quantity,
                             Optional<IdempotencyKey> idempotencyKey, Map<String, String> dimensions) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public EndReservation {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (!commit && quantity.isPresent()) {
            throw new IllegalArgumentException("a release records no quantity");
        }
        dimensions = dimensions == null ? Map.of() : Map.copyOf(new TreeMap<>(UsageRecord.checkedDimensions(
                dimensions)));
        if (!commit && !dimensions.isEmpty()) {
            throw new IllegalArgumentException("a release records no dimensions");
        }
    }

    /** An end without dimensions. */
    public EndReservation(UserId user, String reservationId, boolean commit, Optional<BigDecimal> quantity,
                          Optional<IdempotencyKey> idempotencyKey) {
        this(user, reservationId, commit, quantity, idempotencyKey, Map.of());
    }

    /**
     * This commit, whose usage carries {@code dimensions} (at most 19, as a record's): what a hold of
     * a meter records passes the meter's filter with them (R81).
     */
    public EndReservation withDimensions(Map<String, String> dimensions) {
        return new EndReservation(user, reservationId, commit, quantity, idempotencyKey, dimensions);
    }

    /** Commit {@code quantity} of the hold, or all of it when empty. */
    public static EndReservation commit(UserId user, String reservationId, Optional<BigDecimal> quantity,
                                        Optional<IdempotencyKey> key) {
        return new EndReservation(user, reservationId, true, quantity, key);
    }

    /** Release the hold whole. */
    public static EndReservation release(UserId user, String reservationId, Optional<IdempotencyKey> key) {
        return new EndReservation(user, reservationId, false, Optional.empty(), key);
    }

    /** Commit all of the hold, without an idempotency key. */
    public static EndReservation commit(UserId user, String reservationId) {
        return commit(user, reservationId, Optional.empty(), Optional.empty());
    }

    /** Commit {@code quantity} of the hold (at most the held quantity), without an idempotency key. */
    public static EndReservation commit(UserId user, String reservationId, BigDecimal quantity) {
        return commit(user, reservationId, Optional.of(quantity), Optional.empty());
    }

    /** Release the hold whole, without an idempotency key. */
    public static EndReservation release(UserId user, String reservationId) {
        return release(user, reservationId, Optional.empty());
    }

    /** This request, made idempotent by {@code key} (R20). */
    public EndReservation withIdempotencyKey(IdempotencyKey key) {
        return new EndReservation(user, reservationId, commit, quantity, Optional.of(key), dimensions);
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        // No dimensions add nothing, so a commit keeps the fingerprint it had before dimensions existed.
        return Fingerprint.of(commit ? "commit-reservation" : "release-reservation").with("id", reservationId)
                .with("quantity", quantity).with("dimensions", dimensions).hex();
    }
}
