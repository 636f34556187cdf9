package dev.tally.application.memory;

import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.contract.EventsContract;

class InMemoryEventsTest extends EventsContract {

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
