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

    public JdbiTransactions(Jdbi jdbi) {
        this.db = new Db(jdbi);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return db.inTransaction(handle -> work.get());
    }
}
