package dev.tally.adapter.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Every port contract against a fresh PostgreSQL schema (skipped without TALLY_TEST_POSTGRES_URL). */
class PostgresPortContractsTest extends PortContracts {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres();

    @Override
    TestDatabase database() {
        return DATABASE;
    }
}
