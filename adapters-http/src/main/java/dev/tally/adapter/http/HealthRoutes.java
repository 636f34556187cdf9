package dev.tally.adapter.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.application.health.HealthService;
import dev.tally.application.health.IngestStatus;
import dev.tally.domain.health.HealthReport;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/** {@code GET /v1/health} (R51): needs no key, so that monitoring can call it. */
final class HealthRoutes {

    private final HealthService health;

    HealthRoutes(HealthService health) {
        this.health = health;
    }

    void register(RouteTable routes) {
        routes.publicGet("/v1/health", ctx -> ctx.json(HealthResponse.from(health.report(), health.ingest())));
    }

    /** {@code kafka} only where a consumer of usage from Kafka runs on this node (R95). */
    record HealthResponse(String status, long windowSeconds, long requests, long clientErrors, long serverErrors,
                          BigDecimal errorRate, @JsonInclude(JsonInclude.Include.NON_NULL) Ingest kafka) {
        static HealthResponse from(HealthReport report, Optional<IngestStatus> ingest) {
            return new HealthResponse(report.status().wireName(), report.windowSeconds(), report.requests(),
                    report.clientErrors(), report.serverErrors(), report.errorRate(),
                    ingest.map(Ingest::from).orElse(null));
        }
    }

    /** The consumer's state, its partitions and lag, and what it has counted and dead-lettered. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Ingest(String state, int partitions, long lag, long counted, long duplicates, long deadLettered,
                  Instant lastCommitAt) {
        static Ingest from(IngestStatus status) {
            return new Ingest(status.state(), status.partitions(), status.lag(), status.counted(), status.duplicates(),
                    status.deadLettered(), status.lastCommit().orElse(null));
        }
    }
}
