package dev.tally.adapter.jdbc;

import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.Transactions;
import dev.tally.domain.user.UserId;
import java.util.List;
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

    /** Groups that PostgreSQL commits side by side, each on a connection of its own. */
    static final int PARALLEL_LANES = 2;

    JdbiTransactions(Db db) {
        this(db, db.writesSerialized());
    }

    /**
     * Transactions on {@code db} that group decisions when {@code grouping}: in one lane where
     * writes are serialized anyway (an H2 file), in {@link #PARALLEL_LANES} elsewhere.
     */
    JdbiTransactions(Db db, boolean grouping) {
        this.db = db;
        this.group = new GroupCommit(db);
        this.group.lanes(db.writesSerialized() ? 1 : PARALLEL_LANES);
        this.grouping = grouping;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return db.inTransaction(handle -> work.get());
    }

    /**
     * Shares a transaction and its commit with the work other threads submit meanwhile
     * ({@link GroupCommit}) when grouping is on: by default on an H2 file, whose writes run one at a
     * time anyway (one lane: a group pays one commit, one store of the file, for many decisions),
     * and on PostgreSQL, in {@link #PARALLEL_LANES} lanes, so that groups in flight on different
     * connections keep the pool's parallelism. Work submitted through {@link #inGroupedAppend} is
     * decided in multi-row statements ({@link GroupedAppends}); other work runs its own statements,
     * one member after another on the group's connection.
     */
    @Override
    public <T> T inGroupedTransaction(String orderKey, Supplier<T> work) {
        if (db.inTransactionNow() || !grouping) {
            return db.inTransaction(handle -> work.get());
        }
        return group.run(orderKey, work);
    }

    /**
     * {@link #inGroupedTransaction} whose group decides the appends of {@code filed} in multi-row
     * statements ({@link GroupedAppends}).
     */
    @Override
    public <T> T inGroupedAppend(UserId user, List<PeriodRecord> filed, Supplier<T> work) {
        if (db.inTransactionNow() || !grouping) {
            return db.inTransaction(handle -> work.get());
        }
        return group.run(user.value(), new GroupedAppends.Hint(user, filed), work);
    }

    /** Groups that may commit at the same time. */
    void lanes(int count) {
        group.lanes(count);
    }

    int lanes() {
        return group.lanes();
    }

    /** Decides even a lone decision as a group would ({@link GroupCommit#decideAlone}). */
    void decideAlone(boolean on) {
        group.decideAlone(on);
    }

    /** Decisions made in Java on what their group read ({@link GroupedAppends}). */
    long groupedDecisions() {
        return group.decidedInJava();
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
