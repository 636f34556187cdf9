package dev.tally.domain.credit;

import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Credits a purchase or grant entry added (R35), with what is left of them: spends draw the
 * remainder down, refunds give back what they drew, and at its expiry whatever remains lapses
 * (R36).
 *
 * @param id        the id of the purchase or grant entry that added the credits
 * @param amount    the credits the entry added
 * @param remaining what is left to spend, from 0 to {@code amount}; once expired, what lapsed
 * @param expired   whether the remainder has lapsed and been written off with an {@code expiry} entry
 */
public record CreditGrant(String id, UserId user, CreditType type, long amount, long remaining, GrantTerms terms,
                          Instant createdAt, boolean expired) {

    public CreditGrant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(createdAt, "createdAt");
        if (type != CreditType.PURCHASE && type != CreditType.GRANT) {
            throw DomainException.invalid("invalid_grant", "only purchases and grants carry credits to spend: " + type);
        }
        if (amount <= 0 || remaining < 0 || remaining > amount) {
            throw DomainException.invalid("invalid_grant",
                    "a grant keeps between 0 and its " + amount + " credits: " + remaining);
        }
    }

    /** A new grant, nothing yet spent of it. */
    public static CreditGrant of(String id, UserId user, CreditType type, long amount, GrantTerms terms,
                                 Instant createdAt) {
        return new CreditGrant(id, user, type, amount, amount, terms, createdAt, false);
    }

    /**
     * The id of the {@code expiry} entry that writes off what lapsed for {@code cause} (a grant, or
     * a refund into a lapsed grant): derived from it, so two writers racing to write the same
     * expiry collide on the ledger's key instead of writing it twice (R36).
     */
    public static String expiryId(String cause) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("expiry:" + cause).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "txn_" + java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    public int priority() {
        return terms.priority();
    }

    public Optional<Instant> expiresAt() {
        return terms.expiresAt();
    }

    /** Whether a spend at {@code at} may draw from it: something left and not yet expired (R36). */
    public boolean liveAt(Instant at) {
        return remaining > 0 && !expired && !terms.expiredAt(at);
    }

    /** What it still counts towards the balance at {@code at}: its remainder, or 0 once it has expired. */
    public long countingAt(Instant at) {
        return expired || terms.expiredAt(at) ? 0 : remaining;
    }

    /** This grant with {@code credits} drawn from it. */
    public CreditGrant drawn(long credits) {
        return new CreditGrant(id, user, type, amount, remaining - credits, terms, createdAt, expired);
    }

    /** This grant with {@code credits} given back by a refund. */
    public CreditGrant returned(long credits) {
        return new CreditGrant(id, user, type, amount, remaining + credits, terms, createdAt, expired);
    }

    /** This grant after its remainder lapsed (R36): it counts for nothing, and remembers what lapsed. */
    public CreditGrant lapsed() {
        return new CreditGrant(id, user, type, amount, remaining, terms, createdAt, true);
    }
}
