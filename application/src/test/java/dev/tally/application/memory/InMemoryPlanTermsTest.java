package dev.tally.application.memory;

import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.contract.PlanTermsContract;

class InMemoryPlanTermsTest extends PlanTermsContract {

    private final TallyStorage storage = InMemoryStorage.create();

    @Override
    protected TallyStorage storage() {
        return storage;
    }
}
