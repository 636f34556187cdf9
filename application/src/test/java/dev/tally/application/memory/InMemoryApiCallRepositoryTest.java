package dev.tally.application.memory;

import dev.tally.application.port.ApiCallRepository;
import dev.tally.application.port.contract.ApiCallRepositoryContract;

class InMemoryApiCallRepositoryTest extends ApiCallRepositoryContract {

    private final InMemoryApiCallRepository calls = new InMemoryApiCallRepository();

    @Override
    protected ApiCallRepository calls() {
        return calls;
    }
}
