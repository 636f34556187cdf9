package dev.tally.application.credit;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.DomainException;
import dev.tally.domain.credit.GrantTerms;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A write to the credit ledger (R30–R32). Build one with the factory for its kind; every credit
 * write carries an idempotency key.
 *
 * @param amount the amount as the client states it: positive for purchases, grants, spends and
 *               refunds (a spend of 7 is stored as -7); signed for adjustments
 */
public record CreditWrite(Kind kind, UserId user, long amount, Optional<String> operation,
                          Optional<String> usageTransactionId, Optional<String> reason, IdempotencyKey idempotencyKey,
                          Optional<Integer> priority, Optional<Instant> expiresAt) {

    /** A write that names no priority or expiry. */
    public CreditWrite(Kind kind, UserId user, long amount, Optional<String> operation,
                       Optional<String> usageTransactionId, Optional<String> reason, IdempotencyKey idempotencyKey) {
        this(kind, user, amount, operation, usageTransactionId, reason, idempotencyKey, Optional.empty(),
                Optional.empty());
    }

    /** The credit writes a client can make. */
    /** What a credit write does to the balance. */
    public enum Kind {
        /** Credits bought. */
        PURCHASE,
        /** Credits given. */
        GRANT,
        /** Credits spent on an operation. */
        USAGE,
        /** Credits of a usage transaction given back. */
        REFUND,
        /** An operator's correction, up or down. */
        ADJUSTMENT
    }

    /**
     * The most credits one write may move (R64): enough for any real account, and small enough that
     * the sum of a user's entries stays far inside the 64-bit integers balances are kept in.
     */
    public static final long MAX_AMOUNT = 1_000_000_000_000_000L;

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public CreditWrite {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(usageTransactionId, "usageTransactionId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if ((priority.isPresent() || expiresAt.isPresent()) && kind != Kind.PURCHASE && kind != Kind.GRANT) {
            throw DomainException.invalid("invalid_credit_transaction",
                    "only purchases and grants carry priority and expires_at");
        }
        priority.ifPresent(p -> new GrantTerms(p, Optional.empty()));
        if (kind != Kind.ADJUSTMENT && amount <= 0) {
            throw DomainException.invalid("invalid_amount", "amount must be a positive whole number of credits: " + amount);
        }
        if (amount > MAX_AMOUNT || amount < -MAX_AMOUNT) {
            throw DomainException.invalid("invalid_amount", "one write moves at most " + MAX_AMOUNT + " credits");
        }
    }

    /** What makes a retry the same write (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("credit").with("kind", kind).with("amount", amount).with("operation", operation)
                .with("usage_transaction_id", usageTransactionId).with("reason", reason).with("priority", priority).with("expires_at", expiresAt).hex();
    }

    /** Add {@code amount} credits the user bought. */
    public static CreditWrite purchase(UserId user, long amount, IdempotencyKey key) {
        return new CreditWrite(Kind.PURCHASE, user, amount, Optional.empty(), Optional.empty(), Optional.empty(), key);
    }

    /** Add {@code amount} credits given to the user. */
    public static CreditWrite grant(UserId user, long amount, IdempotencyKey key) {
        return new CreditWrite(Kind.GRANT, user, amount, Optional.empty(), Optional.empty(), Optional.empty(), key);
    }

    /** Add {@code amount} credits the user bought, spent under {@code priority} and lapsing at {@code expiresAt} (R35). */
    public static CreditWrite purchase(UserId user, long amount, IdempotencyKey key, Optional<Integer> priority,
                                       Optional<Instant> expiresAt) {
        return new CreditWrite(Kind.PURCHASE, user, amount, Optional.empty(), Optional.empty(), Optional.empty(), key,
                priority, expiresAt);
    }

    /** Add {@code amount} credits given to the user, spent under {@code priority} and lapsing at {@code expiresAt} (R35). */
    public static CreditWrite grant(UserId user, long amount, IdempotencyKey key, Optional<Integer> priority,
                                    Optional<Instant> expiresAt) {
        return new CreditWrite(Kind.GRANT, user, amount, Optional.empty(), Optional.empty(), Optional.empty(), key,
                priority, expiresAt);
    }

    /** Spends {@code amount} credits on {@code operation}. */
    public static CreditWrite spend(UserId user, long amount, String operation, IdempotencyKey key) {
        return new CreditWrite(Kind.USAGE, user, amount, Optional.of(operation), Optional.empty(), Optional.empty(), key);
    }

    /** Gives back {@code amount} credits of the usage entry {@code usageTransactionId}. */
    public static CreditWrite refund(UserId user, String usageTransactionId, long amount, IdempotencyKey key) {
        return new CreditWrite(Kind.REFUND, user, amount, Optional.empty(), Optional.of(usageTransactionId),
                Optional.empty(), key);
    }

    /** Corrects the balance by a signed {@code amount}, for {@code reason}. */
    public static CreditWrite adjust(UserId user, long amount, String reason, IdempotencyKey key) {
        return new CreditWrite(Kind.ADJUSTMENT, user, amount, Optional.empty(), Optional.empty(), Optional.of(reason), key);
    }
}
