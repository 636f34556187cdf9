package dev.tally.adapter.jdbc;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.extension.RegisterExtension;

/** R66 at the storage port on H2: a session ended by {@code ABORT_SESSION}. */
class H2StorageFaultsTest extends StorageFaults {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2();

    @Override
    TestDatabase database() {
        return DATABASE;
    }

    @Override
    String sessionIdSql() {
        return "SELECT SESSION_ID()";
    }

    @Override
    String terminateSql() {
        return "SELECT ABORT_SESSION(CAST(:id AS INTEGER))";
    }

    @Override
    void conflict(Handle handle) {
        // H2 cannot raise a serialization failure on demand; a repository reports one like this.
        throw new Db.Conflict("a concurrent writer got there first");
    }
}
