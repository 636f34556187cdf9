package dev.tally.application.port;

import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * A credit ledger entry before it is stored; the store adds the balance after it.
 *
 * @param requireCover refuse the entry when it would take the balance below zero (R31)
 */
public record CreditEntry(String id, UserId user, CreditType type, long amount, Optional<String> operation,
                          Optional<String> refundOf, Optional<String> reason, Instant createdAt,
                          boolean requireCover) {

    public CreditEntry {
        // Validates everything a stored entry must satisfy now rather than at the store.
        new CreditTransaction(id, user, type, amount, operation, refundOf, reason, createdAt, 0);
    }

    /** The stored transaction, with the balance after it. */
    public CreditTransaction toTransaction(long balanceAfter) {
        return new CreditTransaction(id, user, type, amount, operation, refundOf, reason, createdAt, balanceAfter);
    }
}
