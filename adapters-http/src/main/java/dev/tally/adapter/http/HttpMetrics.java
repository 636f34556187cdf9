package dev.tally.adapter.http;

import dev.tally.adapter.micrometer.MetricLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import dev.tally.application.port.WebhookSender;
import dev.tally.application.port.WebhookStore;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * What {@code /metrics} shows: requests and their latency per method, route template (never the
 * raw path, so user ids do not multiply the series) and status, and limit decisions per metric and
 * outcome. No label carries a value a client chooses (R68): methods and metrics are named from
 * fixed sets ({@link MetricLabels}).
 */
final class HttpMetrics {

    /** The route label of a request that matched no route (404, 405). */
    static final String UNMATCHED = "unmatched";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Counts one answered request. */
    void request(String method, String route, int status, Duration took) {
        Timer.builder("tally.http.server.requests")
                .description("HTTP requests answered, by route template and status")
                .tag("method", MetricLabels.method(method))
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(took);
    }

    /** Counts a request an enforced limit let through. */
    void granted(String metric) {
        decision(metric, "granted");
    }

    /** Counts a request an enforced limit refused. */
    void denied(String metric) {
        decision(metric, "denied");
    }

    private void decision(String metric, String outcome) {
        Counter.builder("tally.limit.decisions")
                .description("Enforced limit checks, by metric (Tally's own, api_calls or other) and outcome")
                .tag("metric", MetricLabels.metric(metric))
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** Times one webhook attempt, by whether it delivered (R76). */
    void webhookAttempt(WebhookSender.Result result) {
        Timer.builder("tally.webhook.attempts")
                .description("Webhook delivery attempts and their latency, by outcome")
                .tag("outcome", result.delivered() ? "delivered" : "failed")
                .register(registry)
                .record(Duration.ofMillis(result.latencyMs()));
    }

    /** Shows the webhook deliveries by state (pending, delivered, failed), read at each scrape. */
    void webhookDeliveries(Supplier<WebhookStore.Counts> counts) {
        Map<String, ToDoubleFunction<Supplier<WebhookStore.Counts>>> states = Map.of(
                "pending", c -> c.get().pending(), "delivered", c -> c.get().delivered(),
                "failed", c -> c.get().failed());
        // Micrometer holds a gauge's object weakly; nothing else holds this supplier, so without a
        // strong reference the gauge reads NaN after the next garbage collection.
        states.forEach((state, read) -> Gauge.builder("tally.webhook.deliveries", counts, read)
                .description("Webhook deliveries, by state")
                .tag("state", state)
                .strongReference(true)
                .register(registry));
    }

    /** The Prometheus text exposition. */
    MeterRegistry registry() {
        return registry;
    }

    String scrape() {
        return registry.scrape();
    }
}
