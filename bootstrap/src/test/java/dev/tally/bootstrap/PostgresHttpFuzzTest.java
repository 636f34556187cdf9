package dev.tally.bootstrap;

import dev.tally.adapter.http.HttpFuzzScenarios;
import dev.tally.adapter.http.StorageFixture;

/**
 * The HTTP fuzz suite over a PostgreSQL schema of its own; skipped, visibly, unless
 * {@code TALLY_TEST_POSTGRES_URL} names a server.
 */
class PostgresHttpFuzzTest extends HttpFuzzScenarios {

    @Override
    protected StorageFixture storage() {
        return JdbcFixture.postgres();
    }
}
