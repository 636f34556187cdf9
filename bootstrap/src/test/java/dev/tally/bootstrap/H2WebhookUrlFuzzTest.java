package dev.tally.bootstrap;

import dev.tally.adapter.http.StorageFixture;
import dev.tally.adapter.http.WebhookUrlFuzzScenarios;

/** The webhook URL fuzz suite over an H2 database of its own. */
class H2WebhookUrlFuzzTest extends WebhookUrlFuzzScenarios {

    @Override
    protected StorageFixture storage() {
        return JdbcFixture.h2();
    }
}
