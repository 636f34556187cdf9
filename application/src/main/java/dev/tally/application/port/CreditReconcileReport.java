package dev.tally.application.port;

import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a reconcile of the credit ledger found (R30–R36): for every user, that the balance equals
 * the sum of its entries; for every grant, that what remains of it equals its amount less what
 * entries drew from it, plus what refunds gave back, less what expired; and that no draw came from
 * a grant at or after its {@code expires_at}. Read only: a drift is reported, never rewritten,
 * since which side is wrong is a person's call.
 *
 * @param users  users whose balance was compared
 * @param grants grants whose remainder was compared
 * @param drifts every disagreement found, by user
 */
public record CreditReconcileReport(long users, long grants, List<Drift> drifts) {

    public CreditReconcileReport {
        drifts = List.copyOf(drifts);
    }

    /** What kind of disagreement a {@link Drift} is. */
    public enum Kind {
        /** The stored balance is not the sum of the user's entries (R31). */
        BALANCE,
        /** A grant's stored remainder is not its amount − drawn + refunded − expired (R35, R36). */
        GRANT_REMAINING,
        /** An expired grant's stored remainder is not what its {@code expiry} entry wrote off (R36). */
        GRANT_LAPSED,
        /** An entry drew from a grant at or after the grant's {@code expires_at} (R36). */
        DRAW_AFTER_EXPIRY;

        /** The name reports print. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One disagreement.
     *
     * @param subject  the grant (and, for a late draw, the entry) it concerns; empty for a balance
     * @param stored   what is stored: the balance, the remainder, or the credits drawn late
     * @param expected what the entries say it should be (0 for a late draw)
     */
    public record Drift(UserId user, Kind kind, Optional<String> subject, long stored, long expected) {
        public Drift {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(subject, "subject");
        }
    }

    /**
     * One entry's draw from one grant as stored.
     *
     * @param returned what refunds gave back of it
     */
    public record DrawFact(String entryId, CreditType entryType, Instant entryAt, String grantId, long credits,
                           long returned) {
        public DrawFact {
            Objects.requireNonNull(entryId, "entryId");
            Objects.requireNonNull(entryType, "entryType");
            Objects.requireNonNull(entryAt, "entryAt");
            Objects.requireNonNull(grantId, "grantId");
        }
    }

    /**
     * The report of a store whose state is given: every user's stored balance and the sum of its
     * entries' amounts (a user missing from one map counts 0 there), every grant as stored, and
     * every draw.
     *
     * <p>A draw by an {@code expiry} entry writes a grant's remainder off: the one named
     * {@link CreditGrant#expiryId(String)} of the grant when it lapsed, others when a refund gave
     * credits back to it after it had lapsed. Every other draw (a usage, a negative adjustment) is
     * spending, and must come before the grant's expiry.
     */
    public static CreditReconcileReport check(Map<UserId, Long> balances, Map<UserId, Long> entrySums,
                                              Collection<CreditGrant> grants, Collection<DrawFact> draws) {
        List<Drift> drifts = new ArrayList<>();
        Set<UserId> users = new HashSet<>(balances.keySet());
        users.addAll(entrySums.keySet());
        for (UserId user : users) {
            long stored = balances.getOrDefault(user, 0L);
            long summed = entrySums.getOrDefault(user, 0L);
            if (stored != summed) {
                drifts.add(new Drift(user, Kind.BALANCE, Optional.empty(), stored, summed));
            }
        }
        Map<String, List<DrawFact>> byGrant = new HashMap<>();
        draws.forEach(draw -> byGrant.computeIfAbsent(draw.grantId(), id -> new ArrayList<>()).add(draw));
        for (CreditGrant grant : grants) {
            long spent = 0;
            long expired = 0;
            long lapsed = 0;
            for (DrawFact draw : byGrant.getOrDefault(grant.id(), List.of())) {
                if (draw.entryType() == CreditType.EXPIRY) {
                    expired += draw.credits() - draw.returned();
                    if (draw.entryId().equals(CreditGrant.expiryId(grant.id()))) {
                        lapsed += draw.credits();
                    }
                    continue;
                }
                spent += draw.credits() - draw.returned();
                if (grant.expiresAt().filter(at -> !draw.entryAt().isBefore(at)).isPresent()) {
                    drifts.add(new Drift(grant.user(), Kind.DRAW_AFTER_EXPIRY,
                            Optional.of(grant.id() + " by " + draw.entryId()), draw.credits(), 0));
                }
            }
            long left = grant.amount() - spent - expired;
            long spendable = grant.expired() ? 0 : grant.remaining();
            if (spendable != left) {
                drifts.add(new Drift(grant.user(), Kind.GRANT_REMAINING, Optional.of(grant.id()), spendable, left));
            }
            if (grant.expired() && grant.remaining() != lapsed) {
                drifts.add(new Drift(grant.user(), Kind.GRANT_LAPSED, Optional.of(grant.id()), grant.remaining(),
                        lapsed));
            }
        }
        drifts.sort(Comparator.comparing((Drift d) -> d.user().value()).thenComparing(Drift::kind)
                .thenComparing(d -> d.subject().orElse("")));
        return new CreditReconcileReport(users.size(), grants.size(), drifts);
    }
}
