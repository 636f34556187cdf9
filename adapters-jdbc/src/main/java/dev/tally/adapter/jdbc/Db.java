package dev.tally.adapter.jdbc;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every repository reaches the database. Work on a thread that is already inside a
 * transaction of the same {@link Jdbi} joins it (so a use case is one transaction); otherwise it
 * gets a transaction of its own, run again from the start on a transient conflict.
 */
final class Db {

    private static final Logger LOG = LoggerFactory.getLogger(Db.class);

    /** Tries before a transient conflict is given up on. */
    static final int ATTEMPTS = 8;

    /**
     * SQLStates worth a fresh attempt: serialization failure and deadlock (PostgreSQL and H2),
     * H2's lock timeout and its concurrent-update error.
     */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "HYT00", "90131");
    /** A unique violation: retried once, since a fresh attempt sees the winner of a race. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** The open transaction of each Jdbi on this thread. */
    private static final ThreadLocal<Map<Jdbi, Handle>> OPEN = ThreadLocal.withInitial(IdentityHashMap::new);
    private static final AtomicLong SAVEPOINTS = new AtomicLong();

    private final Jdbi jdbi;

    Db(Jdbi jdbi) {
        this.jdbi = TallyJdbi.prepare(jdbi);
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** Runs {@code work} in the current transaction, or in a new one with retries. */
    <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        Handle joined = OPEN.get().get(jdbi);
        if (joined != null) {
            return work.withHandle(joined);
        }
        return retrying(() -> jdbi.inTransaction(handle -> {
            OPEN.get().put(jdbi, handle);
            try {
                return work.withHandle(handle);
            } finally {
                OPEN.get().remove(jdbi);
            }
        }));
    }

    /** Runs a read in the current transaction, or on a handle of its own (auto-commit). */
    <T> T read(HandleCallback<T, RuntimeException> work) {
        Handle joined = OPEN.get().get(jdbi);
        return joined != null ? work.withHandle(joined) : jdbi.withHandle(work);
    }

    /**
     * Runs {@code work} in a transaction of its own on a connection of its own, committed before
     * this returns even when the thread is inside another transaction.
     */
    <T> T alone(HandleCallback<T, RuntimeException> work) {
        return retrying(() -> {
            try (Handle handle = jdbi.open()) {
                return handle.inTransaction(work);
            }
        });
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

    private static <T> T retrying(Supplier<T> attempt) {
        boolean uniqueRetried = false;
        for (int tries = 1; ; tries++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                String state = e instanceof Conflict ? "conflict" : sqlState(e);
                boolean again = e instanceof Conflict || TRANSIENT.contains(state)
                        || (UNIQUE_VIOLATION.equals(state) && !uniqueRetried);
                if (!again || tries >= ATTEMPTS) {
                    throw e;
                }
                uniqueRetried |= UNIQUE_VIOLATION.equals(state);
                LOG.debug("transaction attempt {} failed with SQLState {}; running it again", tries, state);
                pause(tries);
            }
        }
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
