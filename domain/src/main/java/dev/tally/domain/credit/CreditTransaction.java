package dev.tally.domain.credit;

import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable credit ledger entry (R30, R34). Amounts are signed whole credits.
 *
 * @param operation    what the credits were spent on (usage) or refunded for (refund)
 * @param refundOf     the usage entry a refund gives back (R32)
 * @param reason       why an adjustment was made
 * @param balanceAfter the user's balance right after this entry
 * @param drawnFrom    the grants a usage entry drew from, in spending order, or the grant whose
 *                     remainder an expiry entry wrote off (R35, R36); empty for other entries
 */
public record CreditTransaction(String id, UserId user, CreditType type, long amount, Optional<String> operation,
                                Optional<String> refundOf, Optional<String> reason, Instant createdAt,
                                long balanceAfter, List<Draw> drawnFrom) {

    /** An entry that drew from no grant. */
    public CreditTransaction(String id, UserId user, CreditType type, long amount, Optional<String> operation,
                             Optional<String> refundOf, Optional<String> reason, Instant createdAt, long balanceAfter) {
        this(id, user, type, amount, operation, refundOf, reason, createdAt, balanceAfter, List.of());
    }

    public CreditTransaction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(refundOf, "refundOf");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        drawnFrom = List.copyOf(drawnFrom);
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

    /** This entry with the grants it drew from. */
    public CreditTransaction withDrawnFrom(List<Draw> draws) {
        return new CreditTransaction(id, user, type, amount, operation, refundOf, reason, createdAt, balanceAfter, draws);
    }

    /** Credits spent by a usage entry, as a positive number; 0 for other types. */
    public long spent() {
        return type == CreditType.USAGE ? -amount : 0;
    }
}
