package dev.tally.application.memory;

import dev.tally.application.port.AllocationRepository;
import dev.tally.application.port.contract.AllocationRepositoryContract;

class InMemoryAllocationRepositoryTest extends AllocationRepositoryContract {

    private final InMemoryAllocationRepository allocations = new InMemoryAllocationRepository();

    @Override
    protected AllocationRepository allocations() {
        return allocations;
    }
}
