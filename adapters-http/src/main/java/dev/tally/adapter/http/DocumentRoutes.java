package dev.tally.adapter.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What needs no key: the dashboard page at {@code /}, the OpenAPI document, and the Prometheus
 * metrics. The page holds no data of its own; it asks for a key and reads the API with it like
 * any other client: with a user key, the customer's page (the billing overview, a usage series per
 * limited metric, runs, the ledger); with the admin key, the operator's console (the list of users
 * by worst metric, the plans).
 */
final class DocumentRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpMetrics metrics;
    private final byte[] dashboard = resource("dashboard.html");
    private final byte[] openApi = resource("openapi.json");

    DocumentRoutes(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    void register(RouteTable routes) {
        routes.publicGet("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(dashboard));
        routes.publicGet("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        routes.publicGet("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
    }

    /** A file shipped beside this class. */
    static byte[] resource(String name) {
        try (InputStream in = DocumentRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
