package dev.tally.bootstrap;

import dev.tally.adapter.http.StorageFixture;
import dev.tally.adapter.http.WebhookUrlFuzzScenarios;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The webhook URL fuzz suite over a PostgreSQL schema of its own; skipped, visibly, unless
 * {@code TALLY_TEST_POSTGRES_URL} names a server.
 */
@AddLifecycleHook(PostgresHttpFuzzTest.SkipWithoutPostgres.class)
class PostgresWebhookUrlFuzzTest extends WebhookUrlFuzzScenarios {

    @Override
    protected StorageFixture storage() {
        return JdbcFixture.postgres();
    }
}
