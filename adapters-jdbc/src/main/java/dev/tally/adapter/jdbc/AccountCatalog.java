package dev.tally.adapter.jdbc;

import dev.tally.application.port.UserRepository;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.UserId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;

/**
 * Users with their plans and terms as this node last read them, kept for as long as the
 * database's account catalog number is unchanged (R14, R73). Every write of a user, a plan or a
 * user's terms gives that number a new value in its own transaction ({@link #changed}); every
 * read first reads the number, one primary-key read, and answers from what it kept only when the
 * number is the one it was kept under. So a change committed before a read began is seen by that
 * read on every node sharing the database, and a node never needs to be told: what it kept is
 * simply not used again.
 *
 * <p>A number read before the user is read labels what is read after it: a change committed in
 * between leaves the label behind the rows, which only costs one more read later, never a stale
 * answer.
 */
final class AccountCatalog {

    /**
     * Beyond this many users kept, the node forgets them all and starts again: a bound, not a
     * policy. A kept user costs well under a kilobyte of heap, as users on one plan share it.
     */
    static final int MAX_KEPT = 100_000;

    private record Kept(long version, UserRepository.Account account) {
    }

    private final ConcurrentHashMap<UserId, Kept> kept = new ConcurrentHashMap<>();
    /** The last plan read under each id, so that the users kept on one plan share one copy of it. */
    private final ConcurrentHashMap<PlanId, Plan> plans = new ConcurrentHashMap<>();

    /** The catalog's number now. */
    static long version(Handle handle) {
        return Jdbc.first(handle, "SELECT version FROM account_catalog WHERE id = 1", rs -> rs.getLong(1))
                .orElse(0L);
    }

    /**
     * Gives the catalog a new number in {@code handle}'s transaction: what any node kept is not used
     * again. The number is drawn at random rather than counted up, so that a number never comes back:
     * a transaction that changed an account, read it (a node keeps what it read under the new
     * number) and then rolled back must not leave that number for the next change to reuse, or what
     * was kept of the rolled-back change would pass for current.
     */
    static void changed(Handle handle) {
        long fresh;
        do {
            fresh = ThreadLocalRandom.current().nextLong();
        } while (fresh == 0);
        Jdbc.update(handle, "UPDATE account_catalog SET version = ? WHERE id = 1", fresh);
    }

    /** What was kept for {@code user} under {@code version}, if anything. */
    Optional<UserRepository.Account> find(UserId user, long version) {
        Kept found = kept.get(user);
        return found != null && found.version() == version ? Optional.of(found.account()) : Optional.empty();
    }

    /** What was last kept for {@code user}, whatever the number now: never to decide with. */
    Optional<UserRepository.Account> find(UserId user) {
        Kept found = kept.get(user);
        return found == null ? Optional.empty() : Optional.of(found.account());
    }

    /** Keeps {@code account}, read after the catalog's number was {@code version}. */
    void keep(UserId user, long version, UserRepository.Account account) {
        if (kept.size() >= MAX_KEPT) {
            kept.clear();
            plans.clear();
        }
        // The last kept wins: numbers are not ordered, and one kept under an older number only costs a read.
        kept.put(user, new Kept(version, sharingPlan(account)));
    }

    /** {@code account} with the copy of its plan already kept when that is equal to the one read. */
    private UserRepository.Account sharingPlan(UserRepository.Account account) {
        UserRepository.WithPlan read = account.withPlan();
        if (read.plan().isEmpty()) {
            return account;
        }
        Plan plan = read.plan().get();
        Plan shared = plans.merge(plan.id(), plan, (old, fresh) -> old.equals(fresh) ? old : fresh);
        return shared == plan ? account
                : new UserRepository.Account(new UserRepository.WithPlan(read.user(), Optional.of(shared)),
                        account.terms());
    }
}
