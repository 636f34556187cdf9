package dev.tally.adapter.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.application.port.StorageUnavailableException;
import dev.tally.domain.DomainException;
import dev.tally.domain.Refusal;
import dev.tally.domain.credit.CreditsShortfall;
import dev.tally.domain.credit.InsufficientCredits;
import dev.tally.domain.plan.FileSizeLimitExceeded;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.RateLimited;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns every refusal and exception into an HTTP status and a JSON body
 * {@code {"error", "message", …}} (R12). A limit denial is a 403 with its figures, an empty
 * balance a 402, a write past the user's bound of metrics a 422 naming the bound (R67), bad input a 4xx naming what was wrong, unavailable storage a 503 with
 * {@code Retry-After} (R66); only a fault of the server itself is a 500, and its stack trace goes
 * to the log under an id the client is given, never to the client.
 */
final class ErrorMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    /** Seconds a client is asked to wait before retrying when storage is unavailable (R66). */
    static final int RETRY_AFTER_SECONDS = 1;

    private final HttpMetrics metrics;

    ErrorMapper(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    /** Installs the handlers; exceptions are matched by their most specific registered type. */
    void install(RoutesConfig routes) {
        routes.exception(RefusalException.class, (e, ctx) -> refused(ctx, e.refusal()));
        routes.exception(DomainException.class, (e, ctx) -> domain(ctx, e));
        routes.exception(ApiException.class, (e, ctx) -> respond(ctx, e.status(), e.code(), e.getMessage(),
                e.details()));
        routes.exception(HttpResponseException.class, this::http);
        routes.exception(StorageUnavailableException.class, (e, ctx) -> unavailable(ctx, e));
        routes.exception(Exception.class, (e, ctx) -> unexpected(ctx, e));
    }

    private void refused(Context ctx, Refusal refusal) {
        if (refusal instanceof LimitExceeded exceeded) {
            metrics.denied(exceeded.metric().value());
        } else if (refusal instanceof FileSizeLimitExceeded) {
            metrics.denied("max_file_size_mb");
        } else if (refusal instanceof InsufficientCredits || refusal instanceof CreditsShortfall) {
            metrics.denied("credits");
        } else if (refusal instanceof RateLimited limited) {
            metrics.denied(limited.metric().value());
            MetricRateHeaders.refused(ctx, limited);
        }
        respond(ctx, ErrorBody.of(refusal));
    }

    private static void domain(Context ctx, DomainException e) {
        respond(ctx, ErrorBody.of(e));
    }

    private void http(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        switch (status) {
            case 404 -> respond(ctx, 404, "not_found", "No route " + ctx.method() + " " + BoundedInput.echo(ctx.path())
                    + "; see /openapi.json.", Map.of());
            case 405 -> respond(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + BoundedInput.echo(ctx.path())
                    + "; see /openapi.json.", Map.of());
            case 413 -> respond(ctx, 413, "request_too_large", "The request body is larger than this server accepts.",
                    Map.of());
            default -> {
                if (status >= 500) {
                    unexpected(ctx, e);
                } else {
                    respond(ctx, status, "http_" + status, e.getMessage(), Map.of());
                }
            }
        }
    }

    /** Storage is down or a transaction could not complete: retry later, with the same key (R66). */
    private static void unavailable(Context ctx, StorageUnavailableException e) {
        // A warning without the stack trace: an outage would otherwise flood the log.
        LOG.warn("storage unavailable on {} {}: {} ({})", ctx.method(), ctx.path(), e.getMessage(),
                String.valueOf(e.getCause()));
        ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        respond(ctx, 503, "storage_unavailable", "Storage is unavailable right now; retry shortly with the same"
                + " idempotency key, which counts the request once.", Map.of());
    }

    private static void unexpected(Context ctx, Exception e) {
        String errorId = UUID.randomUUID().toString();
        LOG.error("internal error {} on {} {}", errorId, ctx.method(), ctx.path(), e);
        respond(ctx, ErrorBody.internalError(errorId));
    }

    private static void respond(Context ctx, int status, String code, String message, Map<String, Object> details) {
        respond(ctx, ErrorBody.of(status, code, message, details));
    }

    private static void respond(Context ctx, ErrorBody error) {
        ctx.status(error.status()).json(error.body());
    }

    /** The 403 body of a limit denial, exactly as R12 names it. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record LimitExceededResponse(String error, String message, String metric, String plan, BigDecimal currentUsage,
                                 BigDecimal limit, BigDecimal requested, Instant resetsAt) {

        static LimitExceededResponse from(LimitExceeded exceeded) {
            return new LimitExceededResponse(exceeded.code(), exceeded.message(), exceeded.metric().value(),
                    exceeded.plan().value(), exceeded.currentUsage(), exceeded.limit(), exceeded.requested(),
                    exceeded.resetsAt());
        }
    }
}
