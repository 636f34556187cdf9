package dev.tally.domain.credit;

import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable credit ledger entry (R30, R34). Amounts are signed whole credits.
 *
 * @param operation    what the credits were spent on (usage) or refunded for (refund)
 * @param refundOf     the usage entry a refund gives back (R32)
 * @param reason       why an adjustment was made
 * @param balanceAfter the user's balance right after this entry
 */
public record CreditTransaction(String id, UserId user, CreditType type, long amount, Optional<String> operation,
                                Optional<String> refundOf, Optional<String> reason, Instant createdAt,
                                long balanceAfter) {

    public CreditTransaction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(refundOf, "refundOf");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        type.checkSign(amount);
        if ((type == CreditType.USAGE || type == CreditType.REFUND) && operation.filter(o -> !o.isBlank()).isEmpty()) {
            throw DomainException.invalid("operation_required", type.wireName() + " entries name an operation");
        }
        if (type == CreditType.REFUND && refundOf.isEmpty()) {
            throw DomainException.invalid("usage_transaction_id_required", "a refund names the usage entry it refunds");
        }
        if (operation.filter(o -> o.length() > 100).isPresent() || reason.filter(r -> r.length() > 500).isPresent()) {
            throw DomainException.invalid("invalid_credit_transaction", "operation or reason is too long");
        }
    }

    /** Credits spent by a usage entry, as a positive number; 0 for other types. */
    public long spent() {
        return type == CreditType.USAGE ? -amount : 0;
    }
}
