package dev.tally.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.application.port.TallyStorage;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>An embedded one is opened as an embedder opens it: over a pool the test owns
 * ({@link JdbcStorage#over}), in a schema of Tally's own that the pool's connections do not start in.
 */
final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    static final String POSTGRES_URL_VARIABLE = "TALLY_TEST_POSTGRES_URL";
    static final int POOL_SIZE = 16;

    private final boolean postgres;
    private final boolean embedded;
    private String schema;
    private JdbcStorage storage;
    private JdbcStorage sharedOtherNode;
    private String url;
    /** The embedder's pools, which the storages over them leave open. */
    private final List<HikariDataSource> pools = new ArrayList<>();
    /** Nested test classes inherit the extension: only the outermost class opens and closes. */
    private int depth;

    private TestDatabase(boolean postgres, boolean embedded) {
        this.postgres = postgres;
        this.embedded = embedded;
    }

    /** Whether this is a PostgreSQL database (else H2 in memory). */
    boolean isPostgres() {
        return postgres;
    }

    static TestDatabase h2() {
        return new TestDatabase(false, false);
    }

    static TestDatabase postgres() {
        return new TestDatabase(true, false);
    }

    /** H2 over the embedder's pool, Tally in schema {@code tally}, the pool's connections in {@code public}. */
    static TestDatabase h2Embedded() {
        return new TestDatabase(false, true);
    }

    /** PostgreSQL over the embedder's pool, Tally in a fresh schema the pool's search path does not name. */
    static TestDatabase postgresEmbedded() {
        return new TestDatabase(true, true);
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
            if (embedded) {
                url = server;
            } else {
                execute(server, "CREATE SCHEMA " + schema);
                url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            }
        } else {
            url = uniqueH2MemoryUrl();
        }
        this.url = url;
        storage = open(JdbcStorage.Migrations.MIGRATE);
    }

    private JdbcStorage open(JdbcStorage.Migrations migrations) {
        if (!embedded) {
            return JdbcStorage.open(url, POOL_SIZE);
        }
        HikariDataSource pool = embeddersPool(url, POOL_SIZE);
        pools.add(pool);
        return JdbcStorage.over(pool).schema(schema != null ? schema : JdbcStorage.DEFAULT_SCHEMA)
                .migrations(migrations).open();
    }

    /** A pool as an embedder builds it; H2 URLs get the settings Tally needs. */
    static HikariDataSource embeddersPool(String url, int size) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(JdbcStorage.withDefaults(url));
        pool.setMaximumPoolSize(size);
        return pool;
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (--depth > 0) {
            return;
        }
        if (sharedOtherNode != null) {
            sharedOtherNode.close();
            sharedOtherNode = null;
        }
        if (storage != null) {
            storage.close();
        }
        pools.forEach(HikariDataSource::close);
        if (schema != null) {
            execute(System.getenv(POSTGRES_URL_VARIABLE), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    JdbcStorage storage() {
        return storage;
    }

    /**
     * One second node for the whole class, opened on first use and closed with the database: each
     * node has a pool of its own, and PostgreSQL's connections are shared with other test runs.
     */
    synchronized TallyStorage sharedOtherNode() {
        if (sharedOtherNode == null) {
            sharedOtherNode = openAnotherNode();
        }
        return sharedOtherNode.ports();
    }

    /** Another storage on the same database with a pool of its own, as a second API node has. */
    JdbcStorage openAnotherNode() {
        return open(JdbcStorage.Migrations.VALIDATE);
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
