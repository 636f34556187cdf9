package dev.tally.adapter.http;

/** Plans' rate limits over HTTP on in-memory storage. */
class InMemoryRateLimitScenariosTest extends RateLimitScenarios {
}
