package dev.tally.bootstrap;

import dev.tally.adapter.http.ApiContractScenarios;
import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.port.TallyStorage;

/** The HTTP end-to-end suite {@link ApiContractScenarios} over H2. */
class H2ApiContractScenariosTest extends ApiContractScenarios {

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
