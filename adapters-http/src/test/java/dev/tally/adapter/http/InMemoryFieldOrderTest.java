package dev.tally.adapter.http;

/** The order of a body's invalid fields over in-memory storage. */
class InMemoryFieldOrderTest extends FieldOrderScenarios {
}
