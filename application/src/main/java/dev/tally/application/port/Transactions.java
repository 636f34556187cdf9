package dev.tally.application.port;

import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs one use case as one transaction: every port call inside {@code work} commits together or
 * not at all. Implementations may run {@code work} more than once when the store reports a
 * transient conflict (a serialization failure or deadlock) or loses its connection before the
 * commit, so work must not have side effects outside the ports. When storage cannot be reached or
 * the transaction cannot complete, they throw {@link StorageUnavailableException}.
 */
public interface Transactions {

    <T> T inTransaction(Supplier<T> work);

    /**
     * Runs {@code work} as {@link #inTransaction} does, except that the implementation may run it
     * in one transaction together with other calls of this method made at the same time (a group
     * commit): each call's work runs on its own and gets its own result or exception, none is
     * answered before the commit that makes its writes durable, and a failure of one call's work
     * undoes the group and leaves the others to run again on their own. Within a group, work runs
     * in the order of {@code orderKey} (the user whose rows it writes), so that groups formed on
     * several nodes take their row locks in one order. Meant for the hot, short use cases whose
     * refusals are results rather than exceptions; the default runs {@code work} on its own.
     */
    default <T> T inGroupedTransaction(String orderKey, Supplier<T> work) {
        return inTransaction(work);
    }

    /**
     * {@link #inGroupedTransaction} for work that appends {@code filed} for {@code user} (and may do
     * more): a store that groups decisions may read and lock, for the whole group at once, the rows
     * those records touch, decide each member in order on what it read, and write the group's facts
     * and rollups in a few statements. Whatever the work does beyond those records runs as it would
     * alone. The default runs {@code work} as {@link #inGroupedTransaction} does.
     */
    default <T> T inGroupedAppend(UserId user, List<PeriodRecord> filed, Supplier<T> work) {
        return inGroupedTransaction(user.value(), work);
    }

    /**
     * Runs {@code action} once the transaction this thread is in has committed (with a group
     * commit, once the group's commit is done), or at once outside a transaction; never when it
     * rolls back. For telling others about what a transaction wrote (R78), never for writes.
     */
    void afterCommit(Runnable action);

    /** {@link #inTransaction(Supplier)} for work without a result. */
    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
