package dev.tally.domain.credit;

import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.util.Collection;

/**
 * The rules of the credit ledger (R30–R33) that need no storage: the balance is the sum of all
 * amounts, and a refund gives back part or all of one usage entry of the same user, never more
 * than it spent.
 */
public final class CreditLedger {

    /**
     * The largest balance, up or down, a user may hold (R34, R64): far beyond any real account,
     * and far enough inside a {@code long} that adding one entry can never overflow the sum.
     */
    public static final long MAX_BALANCE = 1_000_000_000_000_000_000L;

    private CreditLedger() {
    }

    /** Balance = sum of all amounts (R31). */
    public static long balance(Collection<CreditTransaction> ledger) {
        long balance = 0;
        for (CreditTransaction entry : ledger) {
            balance = Math.addExact(balance, entry.amount());
        }
        return balance;
    }

    /**
     * Checks a refund of {@code amount} credits of {@code usage} for {@code user}, given what was
     * already refunded of it (R32).
     */
    public static void checkRefund(UserId user, CreditTransaction usage, long alreadyRefunded, long amount) {
        if (!usage.user().equals(user)) {
            throw DomainException.notFound("credit_transaction_not_found",
                    "no credit transaction " + usage.id() + " for user " + user);
        }
        if (usage.type() != CreditType.USAGE) {
            throw DomainException.unprocessable("refund_target_not_usage",
                    "transaction " + usage.id() + " is a " + usage.type().wireName() + ", not a usage entry");
        }
        if (amount <= 0) {
            throw DomainException.invalid("invalid_amount", "a refund amount must be positive: " + amount);
        }
        if (alreadyRefunded + amount > usage.spent()) {
            throw DomainException.unprocessable("refund_exceeds_usage",
                    "usage " + usage.id() + " spent " + usage.spent() + " credits and " + alreadyRefunded
                            + " were already refunded; " + amount + " more cannot be refunded");
        }
    }
}
