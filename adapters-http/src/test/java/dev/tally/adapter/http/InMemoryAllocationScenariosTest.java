package dev.tally.adapter.http;

/** Allocations over HTTP on in-memory storage. */
class InMemoryAllocationScenariosTest extends AllocationScenarios {
}
