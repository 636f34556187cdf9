package dev.tally.application.memory;

import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.contract.PlanRepositoryContract;

class InMemoryPlanRepositoryTest extends PlanRepositoryContract {

    private final InMemoryPlanRepository plans = new InMemoryPlanRepository();

    @Override
    protected PlanRepository plans() {
        return plans;
    }
}
