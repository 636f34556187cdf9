package dev.tally.bootstrap;

import dev.tally.adapter.jdbc.JdbcStorage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for one test: a uniquely named in-memory H2 database, or a new schema on the
 * PostgreSQL server named by {@code TALLY_TEST_POSTGRES_URL} (skipped, visibly, without it).
 */
final class TestDatabases {

    static final String POSTGRES_URL_VARIABLE = "TALLY_TEST_POSTGRES_URL";

    private TestDatabases() {
    }

    static String h2Url() {
        return "jdbc:h2:mem:tally-" + UUID.randomUUID();
    }

    /** A fresh schema on the test server; skips the calling test when no server is configured. */
    static PostgresSchema postgresSchema() {
        String server = System.getenv(POSTGRES_URL_VARIABLE);
        if (server == null || server.isBlank()) {
            String message = "PostgreSQL tests skipped: set " + POSTGRES_URL_VARIABLE
                    + " (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) to run them";
            System.out.println(message);
            Assumptions.abort(message);
        }
        String schema = "tally_http_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        execute(server, "CREATE SCHEMA " + schema);
        return new PostgresSchema(server, schema);
    }

    /** One schema of its own; {@link #close()} drops it. */
    record PostgresSchema(String server, String schema) implements AutoCloseable {

        String url() {
            return server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }

        @Override
        public void close() {
            execute(server, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on the test database", e);
        }
    }

    /** A storage over {@code url} with a pool large enough for the concurrency tests. */
    static JdbcStorage open(String url) {
        return JdbcStorage.open(url, 16);
    }
}
