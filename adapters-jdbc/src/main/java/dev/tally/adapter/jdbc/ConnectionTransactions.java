package dev.tally.adapter.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Transactions an application runs itself on a plain JDBC {@link Connection}, which Tally joins
 * ({@link JdbcStorage.Embedding#joiningTransactions}): what Tally and the application write in
 * {@link #inTransaction} commits or rolls back together.
 *
 * <pre>{@code
 * ConnectionTransactions transactions = new ConnectionTransactions();
 * JdbcStorage storage = JdbcStorage.over(dataSource).joiningTransactions(transactions).open();
 * Tally tally = Tally.create(storage.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
 * try (Connection connection = dataSource.getConnection()) {
 *     transactions.inTransaction(connection, c -> {
 *         if (tally.usage().record(command).isRefused()) {
 *             return false;
 *         }
 *         insertOrder(c);   // throws: the usage above is rolled back with it
 *         return true;
 *     });
 * }
 * }</pre>
 */
public final class ConnectionTransactions implements CallerTransactions {

    /** The application's work in a transaction, on its connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** Runs the work; what it throws rolls the transaction back. */
        T run(Connection connection) throws Exception;
    }

    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();

    /**
     * Runs {@code work} in one transaction on {@code connection}, which Tally's use cases called
     * on this thread meanwhile join: committed when {@code work} returns, rolled back when it
     * throws (the exception is rethrown). The connection's auto-commit is put back afterwards.
     */
    public <T> T inTransaction(Connection connection, Work<T> work) throws Exception {
        Objects.requireNonNull(connection, "connection");
        if (current.get() != null) {
            throw new IllegalStateException("a transaction is already open on this thread");
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        current.set(connection);
        afterCommit.set(new ArrayList<>());
        try {
            T result = work.run(connection);
            connection.commit();
            List<Runnable> actions = afterCommit.get();
            current.remove();
            afterCommit.remove();
            actions.forEach(Runnable::run);
            return result;
        } catch (Exception | Error e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            current.remove();
            afterCommit.remove();
            connection.setAutoCommit(autoCommit);
        }
    }

    @Override
    public boolean active() {
        return current.get() != null;
    }

    @Override
    public Connection connection() {
        return current.get();
    }

    @Override
    public void release(Connection connection) {
        // The application's: it stays open in the application's transaction.
    }

    @Override
    public void afterCommit(Runnable action) {
        afterCommit.get().add(action);
    }
}
