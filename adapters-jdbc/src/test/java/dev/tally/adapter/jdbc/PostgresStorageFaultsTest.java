package dev.tally.adapter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * R66 at the storage port on PostgreSQL: a backend ended by {@code pg_terminate_backend}, a real
 * serialization failure (skipped without TALLY_TEST_POSTGRES_URL).
 */
class PostgresStorageFaultsTest extends StorageFaults {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres();

    @Override
    TestDatabase database() {
        return DATABASE;
    }

    @Override
    String sessionIdSql() {
        return "SELECT pg_backend_pid()";
    }

    @Override
    String terminateSql() {
        return "SELECT pg_terminate_backend(CAST(:id AS INTEGER))";
    }

    @Test
    void R66_a_serialization_failure_of_a_plain_JDBC_statement_is_run_again_like_one_of_JDBI() {
        Db db = DATABASE.storage().db();
        AtomicInteger attempts = new AtomicInteger();

        // Outside a transaction nothing else (no failed rollback) carries the driver's error: the
        // retry sees it only through the statement's own exception.
        int rows = db.read(handle -> {
            if (attempts.incrementAndGet() == 1) {
                Jdbc.update(handle, SERIALIZATION_FAILURE);
            }
            return Jdbc.update(handle, "UPDATE plans SET name = name WHERE id = ?", "no-such-plan");
        });

        assertThat(rows).isZero();
        assertThat(attempts).hasValue(2);
    }

    private static final String SERIALIZATION_FAILURE = "DO $$ BEGIN RAISE EXCEPTION 'serialization failure on demand'"
            + " USING ERRCODE = 'serialization_failure'; END $$";

    @Override
    void conflict(Handle handle) {
        handle.execute(SERIALIZATION_FAILURE);
    }
}
