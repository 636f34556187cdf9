package dev.tally.adapter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions share commits where the database takes one writer at a time anyway (an H2 file), and
 * run in transactions of their own where the pool's connections work in parallel.
 */
class GroupCommitDefaultsTest {

    @Test
    void an_h2_file_groups_decisions(@TempDir Path dir) {
        try (JdbcStorage storage = JdbcStorage.open("jdbc:h2:file:" + dir.resolve("db"), 2)) {
            assertThat(((JdbiTransactions) storage.ports().transactions()).grouping()).isTrue();
        }
    }

    @Test
    void an_h2_memory_database_does_not() {
        try (JdbcStorage storage = JdbcStorage.open(TestDatabase.uniqueH2MemoryUrl(), 2)) {
            assertThat(((JdbiTransactions) storage.ports().transactions()).grouping()).isFalse();
        }
    }
}
