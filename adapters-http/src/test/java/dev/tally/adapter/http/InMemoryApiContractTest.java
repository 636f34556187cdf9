package dev.tally.adapter.http;

/** The API contract over in-memory storage. */
class InMemoryApiContractTest extends ApiContractScenarios {
}
