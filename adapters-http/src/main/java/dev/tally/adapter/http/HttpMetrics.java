package dev.tally.adapter.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * What {@code /metrics} shows: requests and their latency per route template (never per raw
 * path, so user ids do not multiply the series) and status, and limit decisions per metric and
 * outcome.
 */
final class HttpMetrics {

    /** The route label of a request that matched no route (404, 405). */
    static final String UNMATCHED = "unmatched";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Counts one answered request. */
    void request(String method, String route, int status, Duration took) {
        Timer.builder("tally.http.server.requests")
                .description("HTTP requests answered, by route template and status")
                .tag("method", method)
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
                .description("Enforced limit checks, by metric and outcome")
                .tag("metric", metric)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** The Prometheus text exposition. */
    String scrape() {
        return registry.scrape();
    }
}
