package dev.tally.application.activation;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * Redeem an activation code once (R45).
 *
 * @param actingFor the user the caller may act for, or empty for an operator (admin key)
 */
public record RedeemCode(String code, Optional<UserId> actingFor, Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public RedeemCode {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(actingFor, "actingFor");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("redeem-code").with("code", code).hex();
    }

    /** Redeems {@code code} on behalf of its own user, without an idempotency key. */
    public static RedeemCode by(UserId user, String code) {
        return new RedeemCode(code, Optional.of(user), Optional.empty());
    }

    /** Redeems {@code code} as the operator, without an idempotency key. */
    public static RedeemCode asOperator(String code) {
        return new RedeemCode(code, Optional.empty(), Optional.empty());
    }
}
