package dev.tally.application.memory;

import dev.tally.application.port.IdempotencyStore;
import dev.tally.application.port.contract.IdempotencyStoreContract;

class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

    @Override
    protected IdempotencyStore store() {
        return store;
    }
}
