package dev.tally.domain.activation;

import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * A code issued to a user and redeemed up to {@code maxUses} times (R45). It counts as issued in
 * the period it was created; each redemption counts in the period it happened.
 */
public record ActivationCode(String code, UserId user, int maxUses, int useCount, Instant createdAt) {

    /** The most uses one code may allow. */
    public static final int MAX_USES_CAP = 1_000_000;

    public ActivationCode {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(createdAt, "createdAt");
        requireValidMaxUses(maxUses);
        if (useCount < 0 || useCount > maxUses) {
            throw new IllegalArgumentException("use count out of range: " + useCount);
        }
    }

    /** Refuses a use count a code may not allow: {@code 400 invalid_max_uses} outside 1 to {@link #MAX_USES_CAP}. */
    public static void requireValidMaxUses(int maxUses) {
        if (maxUses < 1 || maxUses > MAX_USES_CAP) {
            throw DomainException.invalid("invalid_max_uses", "max_uses must be 1-" + MAX_USES_CAP);
        }
    }

    /** A fresh code with no uses. */
    public static ActivationCode issue(String code, UserId user, int maxUses, Instant now) {
        return new ActivationCode(code, user, maxUses, 0, now);
    }

    public boolean isUsedUp() {
        return useCount >= maxUses;
    }

    /** The code after one more use; a used-up code is {@code 409 activation_code_used_up}. */
    public ActivationCode redeem() {
        if (isUsedUp()) {
            throw DomainException.conflict("activation_code_used_up",
                    "activation code " + code + " has been used " + useCount + " of " + maxUses + " times");
        }
        return new ActivationCode(code, user, maxUses, useCount + 1, createdAt);
    }
}
