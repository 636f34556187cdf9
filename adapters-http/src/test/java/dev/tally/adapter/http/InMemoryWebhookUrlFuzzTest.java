package dev.tally.adapter.http;

/** The webhook URL fuzz suite over in-memory storage. */
class InMemoryWebhookUrlFuzzTest extends WebhookUrlFuzzScenarios {
}
