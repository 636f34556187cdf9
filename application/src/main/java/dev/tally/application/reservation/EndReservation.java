package dev.tally.application.reservation;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * End a hold (R71): commit it, recording {@code quantity} (at most the held quantity; default all
 * of it) and releasing the rest, or release it whole ({@code commit} false, no quantity).
 */
public record EndReservation(UserId user, String reservationId, boolean commit, Optional<BigDecimal> quantity,
                             Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public EndReservation {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (!commit && quantity.isPresent()) {
            throw new IllegalArgumentException("a release records no quantity");
        }
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
        return new EndReservation(user, reservationId, commit, quantity, Optional.of(key));
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of(commit ? "commit-reservation" : "release-reservation").with("id", reservationId)
                .with("quantity", quantity).hex();
    }
}
