package dev.tally.bootstrap;

import dev.tally.adapter.http.StorageFixture;
import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.port.TallyStorage;

/**
 * Fresh JDBC storage for one end-to-end test and its disposal: a new H2 in-memory database, or a
 * new PostgreSQL schema that is dropped afterwards.
 */
final class JdbcFixture implements StorageFixture {

    private final boolean postgres;
    private TestDatabases.PostgresSchema schema;
    private JdbcStorage jdbc;

    private JdbcFixture(boolean postgres) {
        this.postgres = postgres;
    }

    static JdbcFixture h2() {
        return new JdbcFixture(false);
    }

    /** Skips the test, visibly, when no PostgreSQL server is configured. */
    static JdbcFixture postgres() {
        return new JdbcFixture(true);
    }

    @Override
    public TallyStorage open() {
        String url;
        if (postgres) {
            schema = TestDatabases.postgresSchema();
            url = schema.url();
        } else {
            url = TestDatabases.h2Url();
        }
        jdbc = TestDatabases.open(url);
        return jdbc.ports();
    }

    @Override
    public void close() {
        if (jdbc != null) {
            jdbc.close();
            jdbc = null;
        }
        if (schema != null) {
            schema.close();
            schema = null;
        }
    }
}
