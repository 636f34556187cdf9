package dev.tally.adapter.http;

/** Signed webhooks over in-memory storage. */
class InMemoryWebhookTest extends WebhookScenarios {
}
