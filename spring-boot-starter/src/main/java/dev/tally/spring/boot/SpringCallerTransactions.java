package dev.tally.spring.boot;

import dev.tally.adapter.jdbc.CallerTransactions;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The application's Spring-managed transactions ({@code @Transactional}, {@code TransactionTemplate})
 * on its {@code DataSource}, which Tally joins under {@code tally.jdbc.join-transactions}: the
 * connection Spring bound to the thread for that {@code DataSource}, and Spring's after-commit
 * callbacks.
 */
final class SpringCallerTransactions implements CallerTransactions {

    private final DataSource dataSource;

    SpringCallerTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A transaction is open on the thread and holds a connection of this {@code DataSource}. */
    @Override
    public boolean active() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.hasResource(dataSource);
    }

    @Override
    public Connection connection() {
        return DataSourceUtils.getConnection(dataSource);
    }

    @Override
    public void release(Connection connection) {
        DataSourceUtils.releaseConnection(connection, dataSource);
    }

    @Override
    public void afterCommit(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
