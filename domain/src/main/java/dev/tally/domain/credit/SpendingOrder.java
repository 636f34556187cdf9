package dev.tally.domain.credit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which a spend draws from a user's grants (R35): lowest priority number first, then
 * the earliest expiry (grants that never expire last), then the oldest. A refund gives its
 * credits back to the grants its usage drew from, the last drawn first, so a full refund undoes
 * the spend exactly.
 */
public final class SpendingOrder {

    /**
     * Priority, then earliest expiry (none last), then oldest. Grants made at the same instant are
     * equal here and keep the order they were stored in (sorting is stable, and every storage
     * hands its grants over in that order): a random id must not decide between them.
     */
    public static final Comparator<CreditGrant> ORDER = Comparator.comparingInt(CreditGrant::priority)
            .thenComparing(grant -> grant.expiresAt().orElse(Instant.MAX))
            .thenComparing(CreditGrant::createdAt);

    private SpendingOrder() {
    }

    /**
     * The draws that spend {@code credits} at {@code at} from {@code grants}, in spending order,
     * taking only from grants live at that instant. They cover less than {@code credits} when the
     * grants hold less; the rest comes from credits no grant carries (adjustments).
     */
    public static List<Draw> draws(Collection<CreditGrant> grants, long credits, Instant at) {
        List<Draw> draws = new ArrayList<>();
        long left = credits;
        for (CreditGrant grant : grants.stream().filter(g -> g.liveAt(at)).sorted(ORDER).toList()) {
            if (left == 0) {
                break;
            }
            long take = Math.min(left, grant.remaining());
            draws.add(new Draw(grant.id(), take));
            left -= take;
        }
        return List.copyOf(draws);
    }

    /**
     * Where a refund of {@code credits} goes, given what the usage drew ({@code drawnFrom}, in the
     * order drawn) and what earlier refunds already gave back per grant: to the grants drawn from,
     * the last drawn first, never more to a grant than was drawn from it. What exceeds the draws
     * (credits the usage took beyond any grant) goes to no grant.
     */
    public static List<Draw> returns(List<Draw> drawnFrom, Map<String, Long> alreadyReturned, long credits) {
        List<Draw> returns = new ArrayList<>();
        long left = credits;
        for (int i = drawnFrom.size() - 1; i >= 0 && left > 0; i--) {
            Draw drawn = drawnFrom.get(i);
            long open = drawn.credits() - alreadyReturned.getOrDefault(drawn.grantId(), 0L);
            long give = Math.min(left, open);
            if (give > 0) {
                returns.add(new Draw(drawn.grantId(), give));
                left -= give;
            }
        }
        return List.copyOf(returns);
    }
}
