package dev.tally.adapter.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every port contract against PostgreSQL opened as an embedder opens it: over the embedder's pool, in a
 * fresh schema of Tally's that the pool's search path does not name (skipped without TALLY_TEST_POSTGRES_URL).
 */
class PostgresEmbeddedPortContractsTest extends PortContracts {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgresEmbedded();

    @Override
    TestDatabase database() {
        return DATABASE;
    }
}
