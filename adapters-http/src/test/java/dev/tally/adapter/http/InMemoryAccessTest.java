package dev.tally.adapter.http;

/** Who may call what, over in-memory storage. */
class InMemoryAccessTest extends AccessScenarios {
}
