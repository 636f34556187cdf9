package dev.tally.adapter.jdbc;

import org.jdbi.v3.core.Handle;
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

    @Override
    void conflict(Handle handle) {
        handle.execute("DO $$ BEGIN RAISE EXCEPTION 'serialization failure on demand'"
                + " USING ERRCODE = 'serialization_failure'; END $$");
    }
}
