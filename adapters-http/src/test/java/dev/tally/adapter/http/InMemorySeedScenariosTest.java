package dev.tally.adapter.http;

/** The seed scenarios over in-memory storage. */
class InMemorySeedScenariosTest extends SeedScenarios {
}
