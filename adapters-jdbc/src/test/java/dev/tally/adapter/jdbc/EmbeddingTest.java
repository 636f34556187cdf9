package dev.tally.adapter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.application.Tally;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import dev.tally.application.usage.UsageItem;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

/**
 * Tally embedded in a service that owns the pool and has tables and a Flyway history of its own in
 * the same database: Tally keeps to its schema, never closes the pool and hands back connections
 * as it got them.
 */
class EmbeddingTest {

    private static final MetricKey EXPORTS = new MetricKey("exports");

    @Test
    void tally_keeps_its_tables_and_flyway_history_in_its_schema_and_leaves_the_embedders_alone_on_h2()
            throws SQLException {
        try (HikariDataSource pool = TestDatabase.embeddersPool(TestDatabase.uniqueH2MemoryUrl(), 4)) {
            keepsToItsSchema(pool, "public", "billing");
        }
    }

    @Test
    void tally_keeps_its_tables_and_flyway_history_in_its_schema_and_leaves_the_embedders_alone_on_postgresql()
            throws SQLException {
        try (EmbeddersDatabase database = EmbeddersDatabase.create()) {
            keepsToItsSchema(database.pool(), database.shop(), database.tally());
        }
    }

    /**
     * The embedder's transaction on its own table and Tally's use case in the middle of it: Tally's
     * write commits on its own (a use case is one transaction), the embedder's transaction sees it
     * under Tally's schema and its own table under its own, and rolling the embedder's transaction
     * back undoes only the embedder's row.
     */
    @Test
    void an_embedders_transaction_and_tallys_use_case_share_one_postgresql_database_in_separate_schemas()
            throws SQLException {
        try (EmbeddersDatabase database = EmbeddersDatabase.create();
             JdbcStorage storage = JdbcStorage.over(database.pool()).schema(database.tally()).open()) {
            Tally tally = tallyWithUser(storage, "acme");
            try (Connection embedders = database.pool().getConnection()) {
                embedders.setAutoCommit(false);
                execute(embedders, "INSERT INTO orders (id, user_id) VALUES ('order-1', 'acme')");

                Outcome<?> recorded = tally.usage().record(new RecordUsage(new UserId("acme"),
                        List.of(UsageItem.of(EXPORTS, 3, "order-1")), true));
                assertThat(recorded).isInstanceOf(Outcome.Done.class);

                assertThat(single(embedders, "SELECT used FROM " + database.tally()
                        + ".usage_rollups WHERE user_id = 'acme' AND metric = 'exports'")).isEqualTo("3.000000");
                assertThat(single(embedders, "SELECT COUNT(*) FROM orders")).isEqualTo("1");
                assertThat(single(embedders, "SELECT current_schema()")).isEqualTo(database.shop());
                embedders.rollback();
                assertThat(single(embedders, "SELECT COUNT(*) FROM orders")).isEqualTo("0");
            }
            assertThat(tally.usage().usage(new UserId("acme"), java.util.Optional.empty()).metric(EXPORTS)
                    .orElseThrow().used()).isEqualByComparingTo("3");
        }
    }

    @Test
    void validating_refuses_a_schema_that_was_never_migrated_and_changes_nothing() throws SQLException {
        try (HikariDataSource pool = TestDatabase.embeddersPool(TestDatabase.uniqueH2MemoryUrl(), 2)) {
            assertThatThrownBy(() -> JdbcStorage.over(pool).migrations(JdbcStorage.Migrations.VALIDATE).open())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Tally's schema 'tally' is not at the latest version");
            try (Connection connection = pool.getConnection()) {
                assertThat(single(connection, "SELECT COUNT(*) FROM information_schema.tables "
                        + "WHERE table_schema = 'tally'")).isEqualTo("0");
            }

            JdbcStorage.over(pool).open().close();
            try (JdbcStorage validated = JdbcStorage.over(pool).migrations(JdbcStorage.Migrations.VALIDATE).open()) {
                assertThat(validated.ports().plans().find(new PlanId("none"))).isEmpty();
            }
        }
    }

    @Test
    void schema_names_that_would_need_quotes_are_refused() {
        try (HikariDataSource pool = TestDatabase.embeddersPool(TestDatabase.uniqueH2MemoryUrl(), 1)) {
            for (String name : List.of("Billing", "tally-data", "x; DROP TABLE orders", "", "1st")) {
                assertThatThrownBy(() -> JdbcStorage.over(pool).schema(name))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema must be");
            }
        }
    }

    @Test
    void an_h2_database_without_tallys_settings_is_refused_with_the_way_to_fix_it() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(TestDatabase.uniqueH2MemoryUrl());
            assertThatThrownBy(() -> JdbcStorage.over(pool).open()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("JdbcStorage.withDefaults(url)");
        }
    }

    private static void keepsToItsSchema(HikariDataSource pool, String embeddersSchema, String tallySchema)
            throws SQLException {
        Flyway embeddersFlyway = Flyway.configure().dataSource(pool).locations("classpath:embedder").load();
        embeddersFlyway.migrate();
        String searchPathBefore = searchPath(pool);

        try (JdbcStorage storage = JdbcStorage.over(pool).schema(tallySchema).open()) {
            Tally tally = tallyWithUser(storage, "acme");
            for (int i = 0; i < 20; i++) { // more than the pool's connections, so each one goes back and comes again
                tally.usage().record(new RecordUsage(new UserId("acme"), List.of(UsageItem.of(EXPORTS, 1, "k" + i)),
                        true));
            }
            assertThat(JdbcStorage.flyway(pool, tallySchema).load().info().applied())
                    .filteredOn(info -> info.getVersion() != null) // not the row that says Flyway created the schema
                    .extracting(info -> info.getVersion().getVersion())
                    .containsExactly("1", "2", "3", "4", "7", "10", "11");
        }

        assertThat(pool.isClosed()).isFalse();
        assertThat(embeddersFlyway.info().applied()).extracting(MigrationInfo::getDescription)
                .containsExactly("orders");
        List<Connection> every = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                Connection connection = pool.getConnection();
                every.add(connection);
                assertThat(connection.getSchema()).isEqualTo(embeddersSchema);
                assertThat(single(connection, "SELECT COUNT(*) FROM usage_facts")).isEqualTo("0");
            }
            assertThat(single(every.get(0), "SELECT COUNT(*) FROM " + tallySchema + ".usage_facts")).isEqualTo("20");
        } finally {
            for (Connection connection : every) {
                connection.close();
            }
        }
        assertThat(searchPath(pool)).isEqualTo(searchPathBefore);
    }

    private static Tally tallyWithUser(JdbcStorage storage, String user) {
        Tally tally = Tally.create(storage.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
        tally.plans().put(Plan.of(new PlanId("pro"), "Pro", new PlanLimits(Map.of(EXPORTS, Limit.of(100)))));
        tally.users().put(PutUser.of(new UserId(user), new PlanId("pro")));
        return tally;
    }

    /** PostgreSQL's whole search path, or H2's schema. */
    private static String searchPath(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")
                    ? single(connection, "SHOW search_path") : connection.getSchema();
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet result = statement.executeQuery()) {
            assertThat(result.next()).isTrue();
            Object value = result.getObject(1);
            return value instanceof BigDecimal decimal ? decimal.toPlainString() : String.valueOf(value);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }

    /**
     * The embedder's PostgreSQL: its pool's connections start in a fresh schema of the embedder's
     * ({@code shop_…}); Tally gets a fresh one of its own ({@code tally_…}). Both are dropped on close.
     */
    private record EmbeddersDatabase(String server, String shop, String tally, HikariDataSource pool)
            implements AutoCloseable {

        static EmbeddersDatabase create() throws SQLException {
            String server = TestDatabase.postgresUrlOrSkip();
            String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            String shop = "shop_" + suffix;
            try (Connection connection = DriverManager.getConnection(server)) {
                execute(connection, "CREATE SCHEMA " + shop);
            }
            HikariDataSource pool = TestDatabase.embeddersPool(
                    server + (server.contains("?") ? "&" : "?") + "currentSchema=" + shop, 4);
            EmbeddersDatabase database = new EmbeddersDatabase(server, shop, "tally_" + suffix, pool);
            Flyway.configure().dataSource(pool).locations("classpath:embedder").load().migrate();
            return database;
        }

        @Override
        public void close() throws SQLException {
            pool.close();
            try (Connection connection = DriverManager.getConnection(server)) {
                execute(connection, "DROP SCHEMA IF EXISTS " + shop + " CASCADE");
                execute(connection, "DROP SCHEMA IF EXISTS " + tally + " CASCADE");
            }
        }
    }
}
