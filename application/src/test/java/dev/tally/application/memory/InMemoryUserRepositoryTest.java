package dev.tally.application.memory;

import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.UserRepository;
import dev.tally.application.port.contract.UserRepositoryContract;

class InMemoryUserRepositoryTest extends UserRepositoryContract {

    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryPlanRepository plans = new InMemoryPlanRepository();

    @Override
    protected UserRepository users() {
        return users;
    }

    @Override
    protected PlanRepository plans() {
        return plans;
    }
}
