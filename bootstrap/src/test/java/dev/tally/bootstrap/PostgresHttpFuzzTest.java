package dev.tally.bootstrap;

import dev.tally.adapter.http.HttpFuzzScenarios;
import dev.tally.adapter.http.StorageFixture;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The HTTP fuzz suite over a PostgreSQL schema of its own; skipped, visibly, unless
 * {@code TALLY_TEST_POSTGRES_URL} names a server.
 */
@AddLifecycleHook(PostgresHttpFuzzTest.SkipWithoutPostgres.class)
class PostgresHttpFuzzTest extends HttpFuzzScenarios {

    @Override
    protected StorageFixture storage() {
        return JdbcFixture.postgres();
    }

    /** jqwik's way of skipping: an abort in its lifecycle methods would count as an error. */
    public static final class SkipWithoutPostgres implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            String server = System.getenv(TestDatabases.POSTGRES_URL_VARIABLE);
            if (server == null || server.isBlank()) {
                String message = "PostgreSQL tests skipped: set " + TestDatabases.POSTGRES_URL_VARIABLE + " to run them";
                System.out.println(message);
                return SkipResult.skip(message);
            }
            return SkipResult.doNotSkip();
        }
    }
}
