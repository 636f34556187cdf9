package dev.tally.bootstrap;

import dev.tally.adapter.http.HttpFuzzScenarios;
import dev.tally.adapter.http.StorageFixture;

/** The HTTP fuzz suite over an H2 database of its own. */
class H2HttpFuzzTest extends HttpFuzzScenarios {

    @Override
    protected StorageFixture storage() {
        return JdbcFixture.h2();
    }
}
