package dev.tally.application.memory;

import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.contract.CreditPricedUsageContract;

class InMemoryCreditPricedUsageTest extends CreditPricedUsageContract {

    private final TallyStorage storage = InMemoryStorage.create();

    @Override
    protected TallyStorage storage() {
        return storage;
    }
}
