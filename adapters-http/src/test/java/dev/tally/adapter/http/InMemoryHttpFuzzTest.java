package dev.tally.adapter.http;

/** The HTTP fuzz suite over in-memory storage. */
class InMemoryHttpFuzzTest extends HttpFuzzScenarios {
}
