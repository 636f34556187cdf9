package dev.tally.bootstrap;

import dev.tally.adapter.http.ApiClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Two API servers, each with its own connection pool, on one fresh PostgreSQL schema (skipped,
 * visibly, without a test server), with an admin client per node: the set-up of every test that
 * proves a rule holds across nodes. {@link #close()} stops both and drops the schema.
 */
final class TwoNodes implements AutoCloseable {

    private final TestDatabases.PostgresSchema schema;
    private final TallyApp first;
    private final TallyApp second;
    private final List<ApiClient> nodes;

    private TwoNodes(TestDatabases.PostgresSchema schema, TallyApp first, TallyApp second) {
        this.schema = schema;
        this.first = first;
        this.second = second;
        String adminKey = first.ensureAdminKey(Optional.empty()).orElseThrow();
        this.nodes = List.of(new ApiClient(first.serve(0), adminKey), new ApiClient(second.serve(0), adminKey));
    }

    static TwoNodes onPostgres() {
        TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema();
        TallyApp first = null;
        try {
            first = TallyApp.open(schema.url(), Clock.systemUTC());
            TallyApp second = TallyApp.open(schema.url(), Clock.systemUTC());
            return new TwoNodes(schema, first, second);
        } catch (RuntimeException e) {
            if (first != null) {
                first.close();
            }
            schema.close();
            throw e;
        }
    }

    /** An admin client of each node, first then second. */
    List<ApiClient> nodes() {
        return nodes;
    }

    /** The first node's admin client. */
    ApiClient admin() {
        return nodes.get(0);
    }

    TallyApp second() {
        return second;
    }

    /** The JDBC URL of the schema both nodes share. */
    String url() {
        return schema.url();
    }

    @Override
    public void close() {
        try (schema; first; second) {
            // closes the servers, then drops the schema
        }
    }
}
