package dev.tally.adapter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions share commits where the database takes one writer at a time anyway (an H2 file), in
 * one lane, and on PostgreSQL, where groups are decided in multi-row statements and several commit
 * side by side, so that grouping keeps the pool's parallelism; not on an H2 memory database.
 */
class GroupCommitDefaultsTest {

    @Test
    void an_h2_file_groups_decisions(@TempDir Path dir) {
        try (JdbcStorage storage = JdbcStorage.open("jdbc:h2:file:" + dir.resolve("db"), 2)) {
            assertThat(((JdbiTransactions) storage.ports().transactions()).grouping()).isTrue();
        }
    }

    @Test
    void an_h2_file_groups_in_one_lane(@TempDir Path dir) {
        try (JdbcStorage storage = JdbcStorage.open("jdbc:h2:file:" + dir.resolve("db"), 2)) {
            assertThat(((JdbiTransactions) storage.ports().transactions()).lanes()).isEqualTo(1);
        }
    }

    @Test
    void a_postgresql_database_groups_decisions_in_several_lanes() throws Exception {
        String server = TestDatabase.postgresUrlOrSkip();
        String schema = "tally_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(server);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        try (JdbcStorage storage = JdbcStorage.open(server + (server.contains("?") ? "&" : "?")
                + "currentSchema=" + schema, 4)) {
            JdbiTransactions transactions = (JdbiTransactions) storage.ports().transactions();
            assertThat(transactions.grouping()).isTrue();
            assertThat(transactions.lanes()).isEqualTo(JdbiTransactions.PARALLEL_LANES).isGreaterThan(1);
        } finally {
            try (Connection connection = DriverManager.getConnection(server);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void an_h2_memory_database_does_not() {
        try (JdbcStorage storage = JdbcStorage.open(TestDatabase.uniqueH2MemoryUrl(), 2)) {
            assertThat(((JdbiTransactions) storage.ports().transactions()).grouping()).isFalse();
        }
    }
}
