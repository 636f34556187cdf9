package dev.tally.bootstrap;

/** The HTTP end-to-end suites over H2, each test in an in-memory database of its own. */
class H2EndToEndTest extends JdbcEndToEnd {

    @Override
    JdbcFixture database() {
        return JdbcFixture.h2();
    }
}
