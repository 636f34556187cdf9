package dev.tally.application.memory;

import dev.tally.application.port.SessionRepository;
import dev.tally.application.port.contract.SessionRepositoryContract;

class InMemorySessionRepositoryTest extends SessionRepositoryContract {

    private final InMemorySessionRepository sessions = new InMemorySessionRepository();

    @Override
    protected SessionRepository sessions() {
        return sessions;
    }
}
