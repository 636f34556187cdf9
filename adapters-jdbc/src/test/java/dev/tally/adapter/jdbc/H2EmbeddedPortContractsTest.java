package dev.tally.adapter.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Every port contract against H2 opened as an embedder opens it: over its pool, in schema {@code tally}. */
class H2EmbeddedPortContractsTest extends PortContracts {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2Embedded();

    @Override
    TestDatabase database() {
        return DATABASE;
    }
}
