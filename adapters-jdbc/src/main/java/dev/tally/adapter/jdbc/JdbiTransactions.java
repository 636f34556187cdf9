package dev.tally.adapter.jdbc;

import dev.tally.application.port.Transactions;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * One use case, one database transaction. Every repository of the same {@link Jdbi} called on
 * this thread inside {@code work} joins it. On a serialization failure or deadlock (and once on
 * a unique-key race) the whole work runs again from the start, as {@link Transactions} allows.
 */
public final class JdbiTransactions implements Transactions {

    private final Db db;
    private final GroupCommit group;
    private volatile boolean grouping;

    JdbiTransactions(Db db) {
        this.db = db;
        this.group = new GroupCommit(db);
        this.grouping = db.writesSerialized();
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return db.inTransaction(handle -> work.get());
    }

    /**
     * Shares a transaction and its commit with the work other threads submit meanwhile
     * ({@link GroupCommit}) where the database takes one writer at a time anyway (an H2 file):
     * there a group pays one commit, one store of the file, for many decisions. Elsewhere
     * (PostgreSQL) each decision runs in a transaction of its own on its own connection: the
     * database already shares the flush of concurrent commits, and one group's statements, run one
     * after another on one connection, would take away the parallelism of the pool (measured:
     * fewer decisions per second, and half the batch throughput, with groups on PostgreSQL).
     */
    @Override
    public <T> T inGroupedTransaction(String orderKey, Supplier<T> work) {
        if (db.inTransactionNow() || !grouping) {
            return db.inTransaction(handle -> work.get());
        }
        return group.run(orderKey, work);
    }

    /** Whether decisions share transactions here. */
    boolean grouping() {
        return grouping;
    }

    /** Groups decisions, or not, whatever the database: tests prove the mechanism on each. */
    void grouping(boolean on) {
        grouping = on;
    }

    /** Registered on the transaction's handle: with group commit, the group's one handle. */
    @Override
    public void afterCommit(Runnable action) {
        db.afterCommit(action);
    }

    /** The group commits made so far, and the pieces of work they held. */
    long groupCommits() {
        return group.groups();
    }

    long groupedPieces() {
        return group.pieces();
    }

    /** Work waiting for the group being committed to finish. */
    int groupWaiting() {
        return group.waiting();
    }
}
