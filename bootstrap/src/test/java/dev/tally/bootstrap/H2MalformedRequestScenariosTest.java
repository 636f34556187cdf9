package dev.tally.bootstrap;

import dev.tally.adapter.http.MalformedRequestScenarios;
import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.port.TallyStorage;

/** The HTTP end-to-end suite {@link MalformedRequestScenarios} over H2. */
class H2MalformedRequestScenariosTest extends MalformedRequestScenarios {

    private JdbcStorage jdbc;

    @Override
    protected TallyStorage openStorage() {
        jdbc = TestDatabases.open(TestDatabases.h2Url());
        return OpenStorage.ports(jdbc);
    }

    @Override
    protected void closeStorage() {
        if (jdbc != null) {
            jdbc.close();
        }
    }
}
