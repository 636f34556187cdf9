package dev.tally.adapter.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Every port contract against an H2 in-memory database in PostgreSQL mode. */
class H2PortContractsTest extends PortContracts {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2();

    @Override
    TestDatabase database() {
        return DATABASE;
    }
}
