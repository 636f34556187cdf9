package dev.tally.application.activation;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.activation.ActivationCode;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;

/** Issue an activation code to {@code user}, usable {@code maxUses} times (R45). */
public record IssueCode(UserId user, int maxUses, Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public IssueCode {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        ActivationCode.requireValidMaxUses(maxUses);
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("issue-code").with("max_uses", maxUses).hex();
    }

    /** A code usable {@code maxUses} times, without an idempotency key. */
    public static IssueCode of(UserId user, int maxUses) {
        return new IssueCode(user, maxUses, Optional.empty());
    }
}
