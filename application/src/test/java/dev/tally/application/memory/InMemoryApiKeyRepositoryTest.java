package dev.tally.application.memory;

import dev.tally.application.port.ApiKeyRepository;
import dev.tally.application.port.contract.ApiKeyRepositoryContract;

class InMemoryApiKeyRepositoryTest extends ApiKeyRepositoryContract {

    private final InMemoryApiKeyRepository keys = new InMemoryApiKeyRepository();

    @Override
    protected ApiKeyRepository keys() {
        return keys;
    }
}
