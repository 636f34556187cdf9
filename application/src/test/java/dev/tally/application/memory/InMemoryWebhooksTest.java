package dev.tally.application.memory;

import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.contract.WebhooksContract;

class InMemoryWebhooksTest extends WebhooksContract {

    private final TallyStorage storage = InMemoryStorage.create();

    @Override
    protected TallyStorage storage() {
        return storage;
    }

    @Override
    protected TallyStorage anotherNode() {
        return storage;
    }
}
