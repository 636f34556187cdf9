package dev.tally.adapter.jdbc;

import dev.tally.application.port.StorageUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * Where Tally's connections come from when it joins the application's transactions
 * ({@link CallerTransactions}): while a piece of Tally's work runs inside the caller's transaction,
 * the caller's connection, pinned to the thread, with Tally's schema made the one unqualified names
 * resolve in and put back afterwards; otherwise a connection of Tally's own from the pool.
 *
 * <p>The schema is changed without a commit: on PostgreSQL for the transaction only
 * ({@code set_config(..., true)}), on H2 as a session setting, which needs none.
 */
final class JoinedConnections implements ConnectionFactory {

    private final DataSource own;
    private final CallerTransactions caller;
    private final String schema;
    private final boolean postgres;
    private final ThreadLocal<Connection> pinned = new ThreadLocal<>();

    JoinedConnections(DataSource own, CallerTransactions caller, String schema, boolean postgres) {
        this.own = own;
        this.caller = caller;
        this.schema = schema;
        this.postgres = postgres;
    }

    /** Whether work on this thread now would join the caller's transaction. */
    boolean active() {
        return pinned.get() != null || caller.active();
    }

    /** Runs {@code work} on the caller's connection, in Tally's schema. */
    <T> T run(Supplier<T> work) {
        if (pinned.get() != null) {
            return work.get();
        }
        try {
            Connection connection = caller.connection();
            try {
                String before = SchemaDataSource.current(connection, postgres);
                SchemaDataSource.use(connection, postgres ? '"' + schema + '"' : schema, postgres, true);
                pinned.set(connection);
                T result;
                try {
                    result = work.get();
                } catch (RuntimeException e) {
                    pinned.remove();
                    try {
                        SchemaDataSource.use(connection, before, postgres, true);
                    } catch (SQLException aborted) {
                        // PostgreSQL refuses statements in a failed transaction; its rollback puts the path back.
                        e.addSuppressed(aborted);
                    }
                    throw e;
                }
                pinned.remove();
                SchemaDataSource.use(connection, before, postgres, true);
                return result;
            } finally {
                pinned.remove();
                caller.release(connection);
            }
        } catch (SQLException e) {
            throw new StorageUnavailableException("the caller's transaction cannot be joined: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} on connections of Tally's own, even inside the caller's transaction. */
    <T> T aside(Supplier<T> work) {
        Connection connection = pinned.get();
        pinned.remove();
        try {
            return work.get();
        } finally {
            if (connection != null) {
                pinned.set(connection);
            }
        }
    }

    void afterCommit(Runnable action) {
        caller.afterCommit(action);
    }

    @Override
    public Connection openConnection() throws SQLException {
        Connection connection = pinned.get();
        return connection != null ? connection : own.getConnection();
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        if (connection != pinned.get()) {
            connection.close();
        }
    }
}
