package dev.tally.application.user;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;

/** Start a new billing period for {@code user} now; earlier usage stops counting (R4). */
public record ResetBillingPeriod(UserId user, Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public ResetBillingPeriod {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /** What makes a retry the same request (R20): a reset has no fields but its user. */
    public String fingerprint() {
        return Fingerprint.of("reset-billing-period").hex();
    }

    /** A reset without an idempotency key. */
    public static ResetBillingPeriod of(UserId user) {
        return new ResetBillingPeriod(user, Optional.empty());
    }
}
