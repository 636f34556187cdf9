package dev.tally.application.port;

import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.UserId;
import java.time.Instant;
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
     * number of concurrent writers. Grants that lapsed by the entry's instant are written off
     * first (R36); a purchase or grant becomes a grant, a spend draws from the live grants in
     * spending order and records them (R35), and a refund gives back to the grants its usage drew
     * from, what goes to a lapsed grant lapsing at once. An entry of a period already granted
     * (R37) is {@link CreditAppend.AlreadyGranted}.
     */
    CreditAppend append(CreditEntry entry);

    /**
     * Holds the user's balance until the transaction this thread is in ends: no other entry of the
     * user is appended meanwhile, on any node, so a use case may decide on the balance, write
     * something else, and then spend what it decided without a refusal (R38, R13). Returns the
     * balance at {@code at}, as {@link #balance(UserId, Instant)} reads it.
     */
    long holdBalance(UserId user, Instant at);

    /** The user's balance: the sum of all its amounts. */
    long balance(UserId user);

    /**
     * The balance at {@code at}: the sum of all amounts less the remainders of grants that lapsed
     * by then but have no {@code expiry} entry yet (R36), so it is right before any sweep.
     */
    long balance(UserId user, Instant at);

    /**
     * Writes off the remainder of every grant of the user that lapsed by {@code at} with one
     * {@code expiry} entry each (R36): exactly once per grant, whichever node or request gets
     * there first. Returns the entries this call wrote.
     */
    List<CreditTransaction> expire(UserId user, Instant at);

    /** The user's grants (purchases and grants, R35) with what remains of them, newest first. */
    List<CreditGrant> grants(UserId user, int limit, int offset);

    /**
     * The user's grants a spend at {@code at} could draw from (something left, not expired by
     * then), in spending order (R35): at most {@code limit}, read through the spending order.
     */
    List<CreditGrant> liveGrants(UserId user, Instant at, int limit);

    /** The grant of a plan's credits for the period starting at {@code periodStart} (R37). */
    Optional<CreditGrant> periodGrant(UserId user, Instant periodStart);

    /** The start of the latest period the user was granted a plan's credits for (R37). */
    Optional<Instant> latestPeriodGranted(UserId user);

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

    /**
     * Checks the whole ledger against itself (R30–R36), reading every user's balance, entries,
     * grants and draws: see {@link CreditReconcileReport#check}. Changes nothing.
     */
    CreditReconcileReport reconcile();
}
