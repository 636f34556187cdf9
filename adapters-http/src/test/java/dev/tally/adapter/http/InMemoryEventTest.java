package dev.tally.adapter.http;

/** Alerts and events over in-memory storage. */
class InMemoryEventTest extends EventScenarios {
}
