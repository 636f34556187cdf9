package dev.tally.adapter.http;

/** The bounded-input table over in-memory storage. */
class InMemoryBoundedInputTest extends BoundedInputScenarios {
}
