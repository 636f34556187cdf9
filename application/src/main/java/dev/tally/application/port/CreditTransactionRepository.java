package dev.tally.application.port;

import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Optional;

/**
 * The credit ledger (R30–R34) with a balance per user kept in the same transaction as the
 * entries, so reading a balance never sums history.
 */
public interface CreditTransactionRepository {

    /**
     * Appends an entry and moves the balance atomically (R13, R31): with
     * {@link CreditEntry#requireCover()}, only if the balance stays at or above zero, under any
     * number of concurrent writers.
     */
    CreditAppend append(CreditEntry entry);

    /** The user's balance: the sum of all its amounts. */
    long balance(UserId user);

    Optional<CreditTransaction> find(UserId user, String transactionId);

    /** Credits refunded so far of one usage entry. */
    long refunded(String usageTransactionId);

    /**
     * Adds {@code amount} to what has been refunded of a usage entry, atomically and only while the
     * total stays within what it spent (R32); returns false otherwise.
     */
    boolean addRefunded(String usageTransactionId, long amount);

    /**
     * Gross and refunded per operation for the usage entries created in {@code period}, refunds
     * attributed to the period of the usage they refund (R33).
     */
    List<OperationUsage> usageByOperation(UserId user, BillingPeriod period);

    /** The user's entries, newest first. */
    List<CreditTransaction> page(UserId user, int limit, int offset);

    long count(UserId user);
}
