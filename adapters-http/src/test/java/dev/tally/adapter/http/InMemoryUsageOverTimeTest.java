package dev.tally.adapter.http;

/** Usage over time and the operator's list over in-memory storage. */
class InMemoryUsageOverTimeTest extends UsageOverTimeScenarios {
}
