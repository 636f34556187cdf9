package dev.tally.application.port;

import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.GrantTerms;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * A credit ledger entry before it is stored; the store adds the balance after it.
 *
 * @param requireCover refuse the entry when it would take the balance below zero (R31)
 * @param terms        how a purchase's or grant's credits are spent (R35); ignored for other entries
 * @param periodStart  for a plan's credits of one period (R37), the start of that period: the store
 *                     keeps at most one such grant per user and period
 */
public record CreditEntry(String id, UserId user, CreditType type, long amount, Optional<String> operation,
                          Optional<String> refundOf, Optional<String> reason, Instant createdAt,
                          boolean requireCover, GrantTerms terms, Optional<Instant> periodStart) {

    /** An entry under the default terms, of no period. */
    public CreditEntry(String id, UserId user, CreditType type, long amount, Optional<String> operation,
                       Optional<String> refundOf, Optional<String> reason, Instant createdAt, boolean requireCover) {
        this(id, user, type, amount, operation, refundOf, reason, createdAt, requireCover, GrantTerms.DEFAULT,
                Optional.empty());
    }

    public CreditEntry {
        java.util.Objects.requireNonNull(terms, "terms");
        java.util.Objects.requireNonNull(periodStart, "periodStart");
        // Validates everything a stored entry must satisfy now rather than at the store.
        new CreditTransaction(id, user, type, amount, operation, refundOf, reason, createdAt, 0);
    }

    /** Whether this entry adds credits that spends draw from (R35). */
    public boolean isGrant() {
        return type == CreditType.PURCHASE || type == CreditType.GRANT;
    }

    /** Whether this entry draws from grants: a spend, or an adjustment down (R35). */
    public boolean draws() {
        return type == CreditType.USAGE || type == CreditType.ADJUSTMENT && amount < 0;
    }

    /** The stored transaction, with the balance after it. */
    public CreditTransaction toTransaction(long balanceAfter) {
        return new CreditTransaction(id, user, type, amount, operation, refundOf, reason, createdAt, balanceAfter);
    }
}
