package dev.tally.adapter.jdbc;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of its own for one test class: an H2 in-memory database with a unique name, or a
 * freshly created PostgreSQL schema (dropped afterwards) on the server named by
 * {@code TALLY_TEST_POSTGRES_URL}. Without that variable PostgreSQL tests are skipped, visibly.
 */
final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    static final String POSTGRES_URL_VARIABLE = "TALLY_TEST_POSTGRES_URL";
    static final int POOL_SIZE = 16;

    private final boolean postgres;
    private String schema;
    private JdbcStorage storage;
    private String url;
    /** Nested test classes inherit the extension: only the outermost class opens and closes. */
    private int depth;

    private TestDatabase(boolean postgres) {
        this.postgres = postgres;
    }

    static TestDatabase h2() {
        return new TestDatabase(false);
    }

    static TestDatabase postgres() {
        return new TestDatabase(true);
    }

    /** The PostgreSQL URL to test against; skips the calling test (with a message) when unset. */
    static String postgresUrlOrSkip() {
        String url = System.getenv(POSTGRES_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            String message = "PostgreSQL tests skipped: set " + POSTGRES_URL_VARIABLE
                    + " (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) to run them";
            System.out.println(message);
            Assumptions.abort(message);
        }
        return url;
    }

    static String uniqueH2MemoryUrl() {
        return "jdbc:h2:mem:tally-" + UUID.randomUUID();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        if (depth++ > 0) {
            return;
        }
        String url;
        if (postgres) {
            String server = postgresUrlOrSkip();
            schema = "tally_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                    .toLowerCase(Locale.ROOT);
            execute(server, "CREATE SCHEMA " + schema);
            url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        } else {
            url = uniqueH2MemoryUrl();
        }
        this.url = url;
        storage = JdbcStorage.open(url, POOL_SIZE);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (--depth > 0) {
            return;
        }
        if (storage != null) {
            storage.close();
        }
        if (schema != null) {
            execute(System.getenv(POSTGRES_URL_VARIABLE), "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    JdbcStorage storage() {
        return storage;
    }

    /** Another storage on the same database with a pool of its own, as a second API node has. */
    JdbcStorage openAnotherNode() {
        return JdbcStorage.open(url, POOL_SIZE);
    }

    /** Overwrites a rollup's used quantity directly, as a bug or a hand edit would. */
    void corruptRollup(UserId user, MetricKey metric, BillingPeriod period, BigDecimal used) {
        storage.jdbi().useHandle(handle -> handle.createUpdate("UPDATE usage_rollups SET used = :used "
                        + "WHERE user_id = :user AND period_start = :start AND period_end = :end AND metric = :metric")
                .bind("used", used).bind("user", user.value()).bind("start", period.start())
                .bind("end", period.end()).bind("metric", metric.value()).execute());
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
