package dev.tally.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.domain.DomainException;
import dev.tally.domain.Refusal;
import dev.tally.domain.credit.CreditsShortfall;
import dev.tally.domain.credit.InsufficientCredits;
import dev.tally.domain.plan.FileSizeLimitExceeded;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.RateLimited;
import dev.tally.domain.plan.TooManyMetrics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An error as Tally answers it: a status and the body {@code {"error", "message", …}} (R12, R64).
 * {@link ErrorMapper} answers HTTP requests with it; other ways in (a consumer of a log, R95) put
 * the same body beside what they refuse, so that a refusal reads the same wherever it came from.
 *
 * @param status the HTTP status this error is answered with
 * @param body   the JSON body, in order: {@code error}, {@code message}, then the details
 */
public record ErrorBody(int status, Map<String, Object> body) {

    /** A message may quote what the client sent; it never grows with the request (R64). */
    private static final int MAX_MESSAGE = 400;

    public ErrorBody {
        Objects.requireNonNull(body, "body");
        body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }

    /** The body of {@code code} with {@code message} (cut to a bound) and then {@code details}. */
    static ErrorBody of(int status, String code, String message, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", BoundedInput.echo(message, MAX_MESSAGE));
        body.putAll(details);
        return new ErrorBody(status, body);
    }

    /** How a use case's refusal is answered: a limit denial is 403 with its figures (R12), an empty balance 402. */
    public static ErrorBody of(Refusal refusal) {
        if (refusal instanceof LimitExceeded exceeded) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = Json.mapper().convertValue(ErrorMapper.LimitExceededResponse.from(exceeded),
                    LinkedHashMap.class);
            return new ErrorBody(403, body);
        } else if (refusal instanceof FileSizeLimitExceeded tooLarge) {
            return of(403, refusal.code(), refusal.message(), ordered(
                    "plan", tooLarge.plan().value(),
                    "file_size_mb", tooLarge.fileSizeMb(),
                    "max_file_size_mb", tooLarge.maxFileSizeMb()));
        } else if (refusal instanceof TooManyMetrics tooMany) {
            return of(422, refusal.code(), refusal.message(), ordered(
                    "metric", tooMany.metric().value(),
                    "plan", tooMany.plan().value(),
                    "max_metrics", tooMany.maxMetrics(),
                    "resets_at", tooMany.resetsAt()));
        } else if (refusal instanceof RateLimited limited) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", refusal.code());
            body.put("message", refusal.message());
            body.put("metric", limited.metric().value());
            body.put("limit", limited.refused().rate().limit());
            body.put("per_seconds", limited.refused().rate().perSeconds());
            body.put("burst", limited.refused().rate().burst());
            body.put("retry_after_ms", limited.refused().retryAfterMillis().orElse(null));
            body.put("plan", limited.plan().value());
            return new ErrorBody(429, body);
        } else if (refusal instanceof CreditsShortfall shortfall) {
            return of(402, refusal.code(), refusal.message(), ordered(
                    "metric", shortfall.metric().value(),
                    "plan", shortfall.plan().value(),
                    "current_usage", shortfall.used(),
                    "limit", shortfall.limit().orElse(null),
                    "requested", shortfall.requested(),
                    "resets_at", shortfall.resetsAt(),
                    "balance", shortfall.balance(),
                    "required", shortfall.required()));
        } else if (refusal instanceof InsufficientCredits insufficient) {
            return of(402, refusal.code(), refusal.message(), ordered(
                    "balance", insufficient.balance(),
                    "requested", insufficient.requested()));
        }
        return of(403, refusal.code(), refusal.message(), Map.of());
    }

    /** How a domain rule's refusal of bad input is answered: 400, 404, 409 or 422 by its kind. */
    public static ErrorBody of(DomainException e) {
        int status = switch (e.kind()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNPROCESSABLE -> 422;
        };
        return of(status, e.code(), e.getMessage(), Map.of());
    }

    /**
     * A fault of the server itself: {@code 500 internal_error} with an id that its log entry carries,
     * never the stack trace.
     */
    public static ErrorBody internalError(String errorId) {
        return of(500, "internal_error", "Something went wrong on our side; quote error_id when reporting it.",
                Map.of("error_id", errorId));
    }

    /** The {@code error} code, e.g. {@code occurred_at_too_old}. */
    public String code() {
        return (String) body.get("error");
    }

    /** The body as JSON text, as an HTTP client would read it. */
    public String json() {
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body could not be written as JSON", e);
        }
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
