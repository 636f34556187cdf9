package dev.tally.adapter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.application.Tally;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tally's writes in the caller's own transaction ({@link JdbcStorage.Embedding#joiningTransactions}),
 * on H2 and PostgreSQL: a business write and its metering commit or roll back together, and
 * callers racing at a limit, each in a transaction of its own, still never overshoot it.
 */
class JoinedTransactionsTest {

    private static final MetricKey EXPORTS = new MetricKey("exports");
    private static final UserId ACME = new UserId("acme");

    private final List<AutoCloseable> opened = new ArrayList<>();
    private String tallySchema;
    private String shopSchema;
    private String postgresUrl;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        if (postgresUrl != null) {
            try (Connection connection = DriverManager.getConnection(postgresUrl);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + tallySchema + " CASCADE");
                statement.execute("DROP SCHEMA IF EXISTS " + shopSchema + " CASCADE");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void a_business_insert_that_fails_after_an_enforced_record_leaves_no_usage(String database) throws Exception {
        HikariDataSource pool = pool(database);
        ThreadTransactions transactions = new ThreadTransactions(pool);
        Tally tally = tally(pool, transactions, 1);
        insertOrder(pool, "order-1"); // already there: inserting it again fails

        Throwable failure = null;
        try {
            transactions.inTransaction(connection -> {
                Outcome<?> metered = record(tally, "export-1");
                assertThat(metered.isRefused()).isFalse();
                insertOrder(connection, "order-1");
                return null;
            });
        } catch (SQLException e) {
            failure = e;
        }

        assertThat(failure).as("the business insert fails").isNotNull();
        assertThat(usageRows(pool)).isZero();
        // The one unit of the limit is still free: the rolled-back record used none of it.
        assertThat(record(tally, "export-2").isRefused()).isFalse();
        assertThat(record(tally, "export-3").isRefused()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void a_business_write_and_its_metering_commit_together(String database) throws Exception {
        HikariDataSource pool = pool(database);
        ThreadTransactions transactions = new ThreadTransactions(pool);
        Tally tally = tally(pool, transactions, 5);

        transactions.inTransaction(connection -> {
            assertThat(record(tally, "export-1").isRefused()).isFalse();
            insertOrder(connection, "order-1");
            return null;
        });

        assertThat(usageRows(pool)).isEqualTo(1);
        assertThat(orders(pool)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void callers_racing_at_a_limit_in_their_own_transactions_never_overshoot_it(String database) throws Exception {
        HikariDataSource pool = pool(database);
        ThreadTransactions transactions = new ThreadTransactions(pool);
        int limit = 3;
        int callers = 8;
        Tally tally = tally(pool, transactions, limit);
        AtomicInteger granted = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String n = String.valueOf(i);
                done.add(threads.submit(() -> {
                    // A conflict aborts the caller's transaction: running it again is the caller's job.
                    for (int attempt = 0; attempt < 50; attempt++) {
                        try {
                            transactions.inTransaction(connection -> {
                                if (!record(tally, "export-" + n).isRefused()) {
                                    Thread.sleep(20); // the business work, holding the limit's lock
                                    insertOrder(connection, "order-" + n);
                                    granted.incrementAndGet();
                                }
                                return null;
                            });
                            return null;
                        } catch (Exception conflict) {
                            Thread.sleep(5);
                        }
                    }
                    throw new AssertionError("caller " + n + " never got through");
                }));
            }
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(granted.get()).isEqualTo(limit);
        assertThat(orders(pool)).isEqualTo(limit);
        assertThat(usageRows(pool)).isEqualTo(limit);
    }

    private HikariDataSource pool(String database) throws SQLException {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        tallySchema = "tally_join_" + suffix;
        shopSchema = "shop_" + suffix;
        String url;
        if (database.equals("postgresql")) {
            postgresUrl = TestDatabase.postgresUrlOrSkip();
            url = postgresUrl;
        } else {
            url = TestDatabase.uniqueH2MemoryUrl();
        }
        HikariDataSource pool = TestDatabase.embeddersPool(url, 12);
        opened.add(pool);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + shopSchema);
            statement.execute("CREATE TABLE " + shopSchema + ".orders (id VARCHAR(40) PRIMARY KEY)");
        }
        return pool;
    }

    private Tally tally(HikariDataSource pool, ThreadTransactions transactions, long limit) {
        JdbcStorage storage = JdbcStorage.over(pool).schema(tallySchema).joiningTransactions(transactions.joined).open();
        opened.add(storage);
        Tally tally = Tally.create(storage.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
        tally.plans().put(Plan.of(new PlanId("pro"), "Pro", new PlanLimits(Map.of(EXPORTS, Limit.of(limit)))));
        tally.users().put(PutUser.of(ACME, new PlanId("pro")));
        return tally;
    }

    private static Outcome<?> record(Tally tally, String key) {
        return tally.usage().record(new RecordUsage(ACME, List.of(UsageItem.of(EXPORTS, 1, key)), true));
    }

    private void insertOrder(HikariDataSource pool, String id) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            insertOrder(connection, id);
        }
    }

    private void insertOrder(Connection connection, String id) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + shopSchema + ".orders (id) VALUES (?)")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
    }

    private long orders(HikariDataSource pool) throws SQLException {
        return count(pool, "SELECT COUNT(*) FROM " + shopSchema + ".orders");
    }

    private long usageRows(HikariDataSource pool) throws SQLException {
        return count(pool, "SELECT COUNT(*) FROM " + tallySchema + ".usage_facts");
    }

    private static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The application's own JDBC transactions: a connection of the pool per transaction. */
    private static final class ThreadTransactions {

        private final HikariDataSource pool;
        private final ConnectionTransactions joined = new ConnectionTransactions();

        ThreadTransactions(HikariDataSource pool) {
            this.pool = pool;
        }

        <T> T inTransaction(ConnectionTransactions.Work<T> work) throws Exception {
            try (Connection connection = pool.getConnection()) {
                return joined.inTransaction(connection, work);
            }
        }
    }
}
