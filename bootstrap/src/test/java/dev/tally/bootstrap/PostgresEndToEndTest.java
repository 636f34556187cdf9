package dev.tally.bootstrap;

/**
 * The HTTP end-to-end suites over PostgreSQL, each test in a fresh schema; skipped, visibly,
 * unless {@code TALLY_TEST_POSTGRES_URL} names a server.
 */
class PostgresEndToEndTest extends JdbcEndToEnd {

    @Override
    JdbcFixture database() {
        return JdbcFixture.postgres();
    }
}
