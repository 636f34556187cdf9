package dev.tally.adapter.jdbc;

import dev.tally.application.port.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.HandleSupplier;

/**
 * How every repository reaches the database. Work on a thread that is already inside a
 * transaction of the same {@link Jdbi} joins it (so a use case is one transaction); otherwise it
 * gets a transaction of its own, run again from the start on a transient conflict or on a
 * connection lost before the commit. When storage cannot be reached or a transaction cannot
 * complete, it throws {@link StorageUnavailableException} (R66).
 */
final class Db {

    private static final System.Logger LOG = System.getLogger(Db.class.getName());

    /** Tries before a transient conflict is given up on. */
    static final int ATTEMPTS = 8;

    /**
     * SQLStates worth a fresh attempt: serialization failure and deadlock (PostgreSQL and H2),
     * H2's lock timeout and its concurrent-update error.
     */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "HYT00", "90131");
    /** A unique violation: retried once, since a fresh attempt sees the winner of a race. */
    private static final String UNIQUE_VIOLATION = "23505";
    /**
     * SQLStates of a connection that is gone or refused, besides class 08 (connection exception)
     * and class 53 (insufficient resources, such as too many connections): PostgreSQL's
     * administrator shutdown, crash shutdown and "cannot connect now"; H2's closed object, database
     * in use by another process, I/O errors, broken connection, closed database and database
     * shutting down.
     */
    private static final Set<String> CONNECTION_LOST = Set.of("57P01", "57P02", "57P03",
            "90007", "90020", "90028", "90031", "90067", "90098", "90121");

    private static final AtomicLong SAVEPOINTS = new AtomicLong();

    private final Jdbi jdbi;
    private final Lock writes;
    private final JoinedConnections callers;

    /**
     * A database whose transactions hold {@code writes}, when given, from their first statement to
     * their commit; without it, transactions run side by side.
     *
     * <p>H2 file databases need the lock for R23: with {@code WRITE_DELAY=0} a commit writes the
     * store to the file, unless another thread is writing the store at that moment, in which case
     * H2's commit returns at once and the committed transaction reaches the file only with the next
     * write. A {@code kill -9} in between loses an acknowledged write (seen as one lost write in nine
     * runs of the kill -9 soak). One writer at a time closes that window.
     */
    Db(Jdbi jdbi, Optional<Lock> writes) {
        this(jdbi, writes, Optional.empty());
    }

    /**
     * A database as {@link #Db(Jdbi, Optional)} that joins the caller's transaction, when given
     * {@code callers} (the source of {@code jdbi}'s connections), whenever the calling thread has
     * one open: its work runs on the caller's connection, once, with no retry, no write lock and no
     * commit of its own; what it registers for after the commit runs after the caller's commit.
     */
    Db(Jdbi jdbi, Optional<Lock> writes, Optional<JoinedConnections> callers) {
        this.jdbi = TallyJdbi.prepare(jdbi);
        this.writes = writes.orElse(null);
        this.callers = callers.orElse(null);
    }

    /** Whether this thread's work would now join the caller's transaction. */
    private boolean joiningCaller() {
        return callers != null && callers.active();
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** Whether this database's writes run one at a time in the process (a write lock was given). */
    boolean writesSerialized() {
        return writes != null;
    }

    /** The DAOs attached to each open handle, by type. */
    private static final Map<Handle, Map<Class<?>, Object>> ATTACHED =
            Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * {@code handle.attach(type)}, once per handle: attaching builds a proxy and prepares every
     * method of the DAO, which costs more than running a statement, and a transaction (a group
     * commit's above all) calls the same DAOs again and again. The handle's DAOs are dropped when
     * it closes.
     */
    static <T> T attach(Handle handle, Class<T> type) {
        // By identity: a handle's equality is not what tells two open handles apart here.
        Map<Class<?>, Object> daos = ATTACHED.computeIfAbsent(handle, opened -> {
            opened.addCleanable(() -> ATTACHED.remove(opened));
            return new ConcurrentHashMap<>();
        });
        return type.cast(daos.computeIfAbsent(type, handle::attach));
    }

    /** Open handles with DAOs attached: every other handle's DAOs are gone with it. */
    static int handlesWithDaos() {
        return ATTACHED.size();
    }

    /** Runs {@code work} in the current transaction, or in a new one with retries. */
    <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        Handle joined = joined();
        if (joined != null) {
            GroupedAppends.beforeOtherWork(this);
            return work.withHandle(joined);
        }
        if (joiningCaller()) {
            return callers.run(() -> jdbi.withHandle(work));
        }
        return retrying(committing -> exclusively(() -> jdbi.inTransaction(handle -> {
            T result = work.withHandle(handle);
            committing.set(true);
            return result;
        })));
    }

    /** Whether this thread has a transaction open on this database, which work would join. */
    boolean inTransactionNow() {
        return joined() != null || joiningCaller();
    }

    /**
     * Runs {@code action} after the commit of this thread's transaction, never after a rollback
     * (an attempt run again registers its own); at once outside a transaction.
     */
    void afterCommit(Runnable action) {
        if (joiningCaller()) {
            callers.afterCommit(action);
            return;
        }
        Handle joined = joined();
        if (joined == null) {
            action.run();
        } else {
            joined.afterCommit(action);
        }
    }

    /** Runs a read in the current transaction, or on a handle of its own (auto-commit). */
    <T> T read(HandleCallback<T, RuntimeException> work) {
        Handle joined = joined();
        if (joined == null && joiningCaller()) {
            return callers.run(() -> jdbi.withHandle(work));
        }
        if (joined != null) {
            GroupedAppends.beforeOtherWork(this);
            return work.withHandle(joined);
        }
        return retrying(committing -> jdbi.withHandle(work));
    }

    /**
     * The transaction this thread has open on {@link #jdbi}, if any. JDBI binds the handle of
     * {@link Jdbi#inTransaction} (and of {@link Jdbi#withHandle}, which opens no transaction) to
     * the thread until the callback ends, in the Jdbi's {@link org.jdbi.v3.core.HandleScope}; the
     * outermost call keeps the retry loop and the write lock, so a nested one only joins.
     */
    private Handle joined() {
        HandleSupplier bound = jdbi.getHandleScope().get();
        if (bound == null) {
            return null;
        }
        Handle handle = bound.getHandle();
        return handle.isInTransaction() ? handle : null;
    }

    /**
     * Runs {@code work} in a transaction of its own on a connection of its own, committed before
     * this returns even when the thread is inside another transaction.
     */
    <T> T alone(HandleCallback<T, RuntimeException> work) {
        if (callers != null) {
            return callers.aside(() -> aloneOnOwnConnection(work));
        }
        return aloneOnOwnConnection(work);
    }

    private <T> T aloneOnOwnConnection(HandleCallback<T, RuntimeException> work) {
        return retrying(committing -> exclusively(() -> {
            try (Handle handle = jdbi.open()) {
                return handle.inTransaction(h -> {
                    T result = work.withHandle(h);
                    committing.set(true);
                    return result;
                });
            }
        }));
    }

    /** Runs one attempt of a transaction, holding the write lock where writes are serialized. */
    private <T> T exclusively(Supplier<T> attempt) {
        if (writes == null) {
            return attempt.get();
        }
        writes.lock();
        try {
            return attempt.get();
        } finally {
            writes.unlock();
        }
    }

    /**
     * Runs {@code work} so that it can be undone without undoing the rest of the transaction:
     * when {@code keep} says no about its result, everything it wrote is rolled back.
     */
    static <T> T undoable(Handle handle, Supplier<T> work, Predicate<T> keep) {
        String savepoint = "tally_" + SAVEPOINTS.incrementAndGet();
        handle.savepoint(savepoint);
        // An exception fails the whole transaction, so only a result can ask for an undo.
        T result = work.get();
        if (keep.test(result)) {
            handle.releaseSavepoint(savepoint);
        } else {
            handle.rollbackToSavepoint(savepoint);
        }
        return result;
    }

    /**
     * A conflict with a concurrent transaction that the database did not report as an error,
     * seen by a repository: the whole transaction runs again, like on a serialization failure.
     */
    static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code attempt} until it succeeds, again from the start after a transient conflict (and
     * once after a unique violation) or after a connection lost before the commit, which the
     * database rolled back. An attempt sets its flag once its work is done and only the commit
     * remains: a connection lost from then on leaves the outcome unknown, so the attempt is not
     * repeated, and the caller learns that storage is unavailable; a retry with the same
     * idempotency key finds out what was stored (R20, R66).
     */
    private static <T> T retrying(Function<AtomicBoolean, T> attempt) {
        boolean uniqueRetried = false;
        for (int tries = 1; ; tries++) {
            AtomicBoolean committing = new AtomicBoolean();
            try {
                return attempt.apply(committing);
            } catch (RuntimeException e) {
                String state = e instanceof Conflict ? "conflict" : sqlState(e);
                boolean conflict = e instanceof Conflict || TRANSIENT.contains(state);
                boolean noConnection = !conflict && noConnection(e);
                boolean lost = !conflict && !noConnection && connectionLost(e);
                boolean again = conflict || (lost && !committing.get())
                        || (UNIQUE_VIOLATION.equals(state) && !uniqueRetried);
                if (again && tries < ATTEMPTS) {
                    uniqueRetried |= UNIQUE_VIOLATION.equals(state);
                    LOG.log(System.Logger.Level.DEBUG,
                            "transaction attempt {0} failed with SQLState {1}; running it again", tries, state);
                    pause(tries);
                    continue;
                }
                if (noConnection || lost || conflict) {
                    throw new StorageUnavailableException((noConnection ? "no database connection could be had"
                            : lost ? "the database connection was lost" : "a conflict persisted")
                            + " after " + tries + " attempt(s); last SQLState " + state, e);
                }
                throw e;
            }
        }
    }

    /** Whether no connection could be had in time: the pool is exhausted or the database is unreachable. */
    static boolean noConnection(Throwable e) {
        return causes(e).stream().anyMatch(SQLTransientConnectionException.class::isInstance);
    }

    /** Whether {@code e} says the connection to the database is gone, refused or broken. */
    static boolean connectionLost(Throwable e) {
        return causes(e).stream().anyMatch(cause -> cause instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("53")
                || CONNECTION_LOST.contains(sql.getSQLState())));
    }

    /** {@code e}, its causes and what was suppressed along the way (a failed rollback, a failed close). */
    private static Set<Throwable> causes(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> next = new ArrayDeque<>();
        next.add(e);
        while (!next.isEmpty()) {
            Throwable t = next.poll();
            if (seen.add(t)) {
                if (t.getCause() != null) {
                    next.add(t.getCause());
                }
                next.addAll(List.of(t.getSuppressed()));
            }
        }
        return seen;
    }

    /** The SQLState of the first SQLException in {@code e}'s causes, or an empty string. */
    static String sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }

    private static void pause(int tries) {
        try {
            // Jittered so that the transactions that collided do not collide again.
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * tries + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", e);
        }
    }
}
