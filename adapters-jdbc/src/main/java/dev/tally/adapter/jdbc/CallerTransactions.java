package dev.tally.adapter.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The transactions of the application embedding Tally, which Tally's reads and writes join when
 * the storage is opened with {@link JdbcStorage.Embedding#joiningTransactions}: while the calling
 * thread has a transaction open, Tally works on that transaction's connection, and what it writes
 * commits or rolls back with the application's own writes.
 *
 * <p>Spring's transactions are joined by the starter; an application with a transaction manager of
 * its own implements this over it.
 */
public interface CallerTransactions {

    /** Whether the calling thread has a transaction open, whose connection {@link #connection} gives. */
    boolean active();

    /** The connection of the calling thread's open transaction; called only when {@link #active}. */
    Connection connection() throws SQLException;

    /**
     * Gives back a connection {@link #connection} returned, once Tally's work on it is done; the
     * transaction goes on.
     */
    void release(Connection connection) throws SQLException;

    /**
     * Runs {@code action} once the calling thread's transaction has committed, never after a
     * rollback: Tally's in-process event listeners hear of a write only when it is durable (R78).
     */
    void afterCommit(Runnable action);
}
