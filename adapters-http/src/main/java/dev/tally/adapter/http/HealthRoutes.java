package dev.tally.adapter.http;

import dev.tally.application.health.HealthService;
import dev.tally.domain.health.HealthReport;
import java.math.BigDecimal;

/** {@code GET /v1/health} (R51): needs no key, so that monitoring can call it. */
final class HealthRoutes {

    private final HealthService health;

    HealthRoutes(HealthService health) {
        this.health = health;
    }

    void register(RouteTable routes) {
        routes.publicGet("/v1/health", ctx -> ctx.json(HealthResponse.from(health.report())));
    }

    record HealthResponse(String status, long windowSeconds, long requests, long clientErrors, long serverErrors,
                          BigDecimal errorRate) {
        static HealthResponse from(HealthReport report) {
            return new HealthResponse(report.status().wireName(), report.windowSeconds(), report.requests(),
                    report.clientErrors(), report.serverErrors(), report.errorRate());
        }
    }
}
