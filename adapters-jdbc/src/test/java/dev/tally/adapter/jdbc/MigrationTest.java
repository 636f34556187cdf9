package dev.tally.adapter.jdbc;

import static dev.tally.application.port.contract.Fixtures.GPU_HOURS;
import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.usage;
import static dev.tally.application.port.contract.Fixtures.assertSameValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.application.port.ApiKey;
import dev.tally.application.port.IdempotencyStore;
import dev.tally.application.port.MetricsFull;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricBound;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanAlerts;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.api.MigrationInfo;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written at the first schema version and then migrated to the latest keeps every
 * row, and the latest code reads them.
 */
class MigrationTest {

    private static final List<String> V1_TABLES = List.of("plans", "plan_limits", "users", "user_billing_cycles",
            "usage_facts", "usage_rollups", "usage_reservations", "idempotency_keys", "api_keys");

    @Test
    void data_written_at_version_1_survives_the_migration_to_the_latest_on_h2(@TempDir Path directory) {
        migrateKeepsEveryRow("jdbc:h2:file:" + directory.resolve("tally").toAbsolutePath());
    }

    @Test
    void R77_an_attempt_recorded_twice_before_version_13_stays_in_the_log_once_as_the_attempt_on_h2(
            @TempDir Path directory) {
        attemptsRecordedTwice("jdbc:h2:file:" + directory.resolve("tally").toAbsolutePath());
    }

    @Test
    void R77_an_attempt_recorded_twice_before_version_13_stays_in_the_log_once_as_the_attempt_on_postgresql()
            throws SQLException {
        onPostgres(MigrationTest::attemptsRecordedTwice);
    }

    /** Two nodes made attempt 1 of one delivery before version 13 fenced claims: both rows stay readable. */
    private static void attemptsRecordedTwice(String url) {
        try (HikariDataSource dataSource = dataSource(url)) {
            JdbcStorage.flyway(dataSource).target("12").load().migrate();
            Jdbi.create(dataSource).useHandle(handle -> {
                handle.execute("INSERT INTO webhook_endpoints (id, url, events, enabled, secret, created_at) "
                        + "VALUES ('ops', 'https://hooks.example.com/', '*', TRUE, 'whsec_x', 1)");
                handle.execute("INSERT INTO webhook_deliveries (id, event_id, endpoint_id, state, attempts, "
                        + "next_attempt_at) VALUES (7, 'evt_1', 'ops', 'pending', 2, 5)");
                handle.execute("INSERT INTO webhook_attempts (endpoint_id, event_id, attempt, status_code, latency_ms, "
                        + "at) VALUES ('ops', 'evt_1', 1, 503, 10, 2), ('ops', 'evt_1', 1, 500, 10, 3)");
            });
        }
        try (JdbcStorage latest = JdbcStorage.open(url, 2)) {
            assertThat(latest.ports().webhooks().attempts("ops", 10)).extracting(a -> a.statusCode().getAsInt())
                    .containsExactly(500, 503);
            List<Integer> ofTheDelivery = latest.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT status_code FROM webhook_attempts WHERE delivery_id = 7").mapTo(Integer.class).list());
            assertThat(ofTheDelivery).containsExactly(503);
            assertThatThrownBy(() -> latest.jdbi().useHandle(handle -> handle.execute(
                    "INSERT INTO webhook_attempts (delivery_id, endpoint_id, event_id, attempt, latency_ms, at) "
                            + "VALUES (7, 'ops', 'evt_1', 1, 10, 4)")))
                    .as("a second row of attempt 1")
                    .satisfies(e -> assertThat(Db.sqlState(e)).as("a unique violation").isEqualTo("23505"));
        }
    }

    @Test
    void data_written_at_version_1_survives_the_migration_to_the_latest_on_postgresql() throws SQLException {
        onPostgres(MigrationTest::migrateKeepsEveryRow);
    }

    private static void onPostgres(java.util.function.Consumer<String> test) throws SQLException {
        String server = TestDatabase.postgresUrlOrSkip();
        String schema = "tally_migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(server)) {
            connection.createStatement().execute("CREATE SCHEMA " + schema);
        }
        try {
            test.accept(server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        } finally {
            try (Connection connection = DriverManager.getConnection(server)) {
                connection.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static void migrateKeepsEveryRow(String url) {
        UserId user = new UserId("early-adopter");
        Instant created = Instant.parse("2026-01-15T08:00:00.000000001Z");
        User stored = new User(user, new PlanId("pro"), BillingSchedule.of(BillingCycle.calendarMonth(created)), created);
        Plan plan = Plan.of(new PlanId("pro"), "Pro", new PlanLimits(Map.of(GPU_HOURS, Limit.of(100),
                MetricKey.RUNS, Limit.unlimited())));
        // What version 1 stored of a key; from version 4 on it has an id from its hash and no prefix.
        ApiKey key = new ApiKey("key_" + "ab".repeat(12), "ab".repeat(32), Optional.of(user), Optional.empty(), created,
                Optional.empty(), Optional.empty());
        Map<String, Long> before;

        try (HikariDataSource dataSource = dataSource(url)) {
            JdbcStorage.flyway(dataSource).target("1").load().migrate();
            assertThat(JdbcStorage.flyway(dataSource).load().info().current().getVersion().getVersion()).isEqualTo("1");
            Jdbi jdbi = TallyJdbi.prepare(Jdbi.create(dataSource));
            // The plan as version 1 stored it: limit rows without the allocation flag of version 5, no
            // alerts (version 10 adds them, with the defaults).
            jdbi.useHandle(handle -> {
                handle.execute("INSERT INTO plans (id, name, warning_threshold_percent) VALUES ('pro', 'Pro', 80)");
                handle.execute("INSERT INTO plan_limits (plan_id, metric, max_quantity) VALUES "
                        + "('pro', 'gpu_hours', 100), ('pro', 'runs', NULL)");
            });
            // The user as the repository writes it, without the account catalog of version 22.
            jdbi.useHandle(handle -> {
                UserDao dao = handle.attach(UserDao.class);
                dao.insert(user.value(), stored.planId().value(), stored.createdAt());
                dao.insertCycles(user.value(), UserDao.NumberedCycle.of(stored.billing()));
            });
            jdbi.useHandle(handle -> handle.execute("INSERT INTO api_keys (key_hash, user_id, created_at) VALUES (?, ?, ?)",
                    key.hash(), user.value(), Instants.toNanos(created)));
            // The usage as version 1 stored it: two facts, their rollup, and a held run with its rollup.
            jdbi.useHandle(handle -> {
                long start = Instants.toNanos(MARCH.start());
                long end = Instants.toNanos(MARCH.end());
                for (String[] fact : new String[][] {{"2", "a", "1"}, {"3", "b", "2"}}) {
                    handle.execute("INSERT INTO usage_facts (user_id, metric, quantity, occurred_at, idempotency_key, "
                            + "fingerprint, dimensions, period_start, period_end) VALUES (?, 'gpu_hours', ?, ?, ?, ?, "
                            + "'{}', ?, ?)", user.value(), new BigDecimal(fact[0]),
                            start + Long.parseLong(fact[2]) * 86_400_000_000_000L, fact[1], "fp-" + fact[1], start, end);
                }
                handle.execute("INSERT INTO usage_rollups (user_id, period_start, period_end, metric, used, reserved) "
                        + "VALUES (?, ?, ?, 'gpu_hours', 5, 0), (?, ?, ?, 'runs', 0, 1)", user.value(), start, end,
                        user.value(), start, end);
                handle.execute("INSERT INTO usage_reservations (user_id, reservation_id, metric, quantity, reserved_at, "
                        + "period_start, period_end, state) VALUES (?, 'run-1', 'runs', 1, ?, ?, ?, 'held')",
                        user.value(), start, start, end);
            });
            JdbiIdempotencyStore keys = new JdbiIdempotencyStore(new Db(jdbi, Optional.empty()));
            keys.claim(user, new IdempotencyKey("grant-1"), "fp", created);
            keys.complete(user, new IdempotencyKey("grant-1"), "tx-1");
            before = rowCounts(jdbi);
        }
        assertThat(before.values()).allMatch(count -> count > 0);

        try (JdbcStorage latest = JdbcStorage.open(url, 2)) {
            MigrationInfo[] applied = JdbcStorage.flyway(latest.dataSource()).load().info().applied();
            assertThat(applied).extracting(info -> info.getVersion().getVersion())
                    .containsExactly("1", "2", "3", "4", "5", "6", "7", "10", "11", "12", "13", "14", "15", "16", "17", "18",
                            "19", "20", "21", "22");
            assertThat(rowCounts(latest.jdbi())).isEqualTo(before);
            assertThat(latest.ports().users().find(user)).contains(stored);
            assertSameValue(latest.ports().plans().find(plan.id()).orElseThrow(), plan);
            assertThat(latest.ports().plans().find(plan.id()).orElseThrow().alerts()).isEqualTo(PlanAlerts.DEFAULT);
            assertThat(latest.ports().apiKeys().findByHash(key.hash())).contains(key);
            assertThat(latest.ports().usage().totals(user, GPU_HOURS, MARCH).used()).isEqualByComparingTo("5");
            assertThat(latest.ports().usage().totals(user, MetricKey.RUNS, MARCH).reserved()).isEqualByComparingTo("1");
            assertThat(latest.ports().idempotency().claim(user, new IdempotencyKey("grant-1"), "fp", created))
                    .isEqualTo(new IdempotencyStore.Replay("tx-1"));
            assertThat(latest.ports().usage().commit(user, "run-1", BigDecimal.ONE, "run:run-1", MARCH.start()))
                    .isPresent();
            assertThat(latest.ports().usage().append(user, List.of(usage(user, new MetricKey("exports"), "1", "c",
                    MARCH, 3)), Map.of(), Set.of(), new MetricBound(2, Set.of())))
                    .as("the period's two metrics are counted").isInstanceOf(MetricsFull.class);
        }
    }

    private static HikariDataSource dataSource(String url) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(JdbcStorage.withDefaults(url));
        dataSource.setMaximumPoolSize(2);
        return dataSource;
    }

    private static Map<String, Long> rowCounts(Jdbi jdbi) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbi.useHandle(handle -> V1_TABLES.forEach(table -> counts.put(table,
                handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one())));
        return counts;
    }
}
