package dev.tally.application.memory;

import dev.tally.application.port.UserRepository;
import dev.tally.application.port.contract.UserRepositoryContract;

class InMemoryUserRepositoryTest extends UserRepositoryContract {

    private final InMemoryUserRepository users = new InMemoryUserRepository();

    @Override
    protected UserRepository users() {
        return users;
    }
}
