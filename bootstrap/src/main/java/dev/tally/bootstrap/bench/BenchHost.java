package dev.tally.bootstrap.bench;

import dev.tally.adapter.http.ServerSettings;
import dev.tally.application.Tally;

/**
 * What the bench needs of the composition root, which hands it in: Tally and its server in this
 * process over a database, and a database schema migrated for pgbench. The bench depends on this
 * and on the adapters, never on the composition root itself.
 */
public interface BenchHost {

    /** The {@code --db-url} of fresh in-memory storage, where nothing persists. */
    String MEMORY = "memory:";

    /** Tally over the database at {@code dbUrl} ({@link #MEMORY} for memory), ready to serve. */
    Server open(String dbUrl);

    /** Creates Tally's tables in the database and schema {@code jdbcUrl} names. */
    void migrate(String jdbcUrl);

    /** Tally in this process and the server it may start. */
    interface Server extends AutoCloseable {
        Tally tally();

        /** Starts the server; returns its port. */
        int serve(ServerSettings settings);

        /** Where the data lives, for the report. */
        String storageDescription();

        @Override
        void close();
    }
}
