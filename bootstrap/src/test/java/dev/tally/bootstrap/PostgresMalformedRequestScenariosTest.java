package dev.tally.bootstrap;

import dev.tally.adapter.http.MalformedRequestScenarios;
import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.port.TallyStorage;

/** The HTTP end-to-end suite {@link MalformedRequestScenarios} over PostgreSQL, each test in a fresh schema. */
class PostgresMalformedRequestScenariosTest extends MalformedRequestScenarios {

    private TestDatabases.PostgresSchema schema;
    private JdbcStorage jdbc;

    @Override
    protected TallyStorage openStorage() {
        schema = TestDatabases.postgresSchema();
        jdbc = TestDatabases.open(schema.url());
        return OpenStorage.ports(jdbc);
    }

    @Override
    protected void closeStorage() {
        if (jdbc != null) {
            jdbc.close();
        }
        if (schema != null) {
            schema.close();
        }
    }
}
