package dev.tally.adapter.http;

/** The malformed-request table over in-memory storage. */
class InMemoryMalformedRequestTest extends MalformedRequestScenarios {
}
