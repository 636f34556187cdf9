package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.WebhookStore;
import org.junit.jupiter.api.Test;

/** What {@code /metrics} shows stays readable for the life of the server. */
class HttpMetricsTest {

    @Test
    void R76_delivery_counts_survive_garbage_collection() {
        HttpMetrics metrics = new HttpMetrics();
        WebhookStore.Counts counts = new WebhookStore.Counts(3, 5, 1);
        // A capturing supplier, like the server's method reference: nothing else holds it.
        metrics.webhookDeliveries(() -> counts);
        for (int i = 0; i < 3; i++) {
            System.gc();
        }

        assertThat(metrics.scrape()).contains("tally_webhook_deliveries{state=\"pending\"} 3.0",
                "tally_webhook_deliveries{state=\"delivered\"} 5.0", "tally_webhook_deliveries{state=\"failed\"} 1.0");
    }
}
