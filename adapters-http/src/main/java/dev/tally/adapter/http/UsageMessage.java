package dev.tally.adapter.http;

import dev.tally.application.usage.UsageItem;
import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One usage record as a message on a log (R95): a record of {@code POST /v1/users/{user_id}/usage}
 * plus {@code user_id} and {@code enforce} (default false), as JSON:
 * <pre>{@code
 * {"user_id": "acme", "metric": "runs", "quantity": 1, "idempotency_key": "run-42",
 *  "occurred_at": "2026-01-05T10:00:00Z", "dimensions": {"region": "eu"}, "enforce": false}
 * }</pre>
 * It is read, bounded (R64) and checked by the same code as the HTTP body, so that a message is
 * refused exactly where the same record sent over HTTP would be, with the same {@link ErrorBody}.
 */
public final class UsageMessage {

    private UsageMessage() {
    }

    /**
     * A message read and checked.
     *
     * @param user    whose usage it is
     * @param item    the record
     * @param enforce whether the plan's limit is checked as it is recorded (R13)
     */
    public record Parsed(UserId user, UsageItem item, boolean enforce) {
        public Parsed {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(item, "item");
        }
    }

    /**
     * Reads one message; a message without {@code idempotency_key} takes {@code defaultKey} (the
     * message's own key on the log, or its place there).
     *
     * @throws Rejected with the 4xx body an HTTP client would get for the same record
     */
    public static Parsed parse(byte[] json, String defaultKey) {
        try {
            MessageRequest message = RequestBody.parse(json, MessageRequest.class).orElseThrow(() ->
                    ApiException.badRequest("body_required", "A usage message is a JSON object; this one is empty."));
            UserId user = new UserId(RequestFields.required(message.userId(), "user_id"));
            UsageItem item = UsageRoutes.item(new UsageRoutes.RecordRequest(message.metric(), message.quantity(),
                    message.occurredAt(), message.idempotencyKey(), message.dimensions()), "", Optional.of(defaultKey));
            return new Parsed(user, item, Boolean.TRUE.equals(message.enforce()));
        } catch (ApiException e) {
            throw new Rejected(ErrorBody.of(e.status(), e.code(), e.getMessage(), e.details()));
        } catch (DomainException e) {
            throw new Rejected(ErrorBody.of(e));
        }
    }

    /** A message refused before any use case ran, with its error body. */
    public static final class Rejected extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient ErrorBody error;

        Rejected(ErrorBody error) {
            super(error.code(), null, false, false);
            this.error = error;
        }

        /** What an HTTP client would have been answered for the same record. */
        public ErrorBody error() {
            return error;
        }
    }

    /** The message as JSON; unknown fields are ignored, as in every request body. */
    record MessageRequest(String userId, String metric, BigDecimal quantity, String occurredAt, String idempotencyKey,
                          Map<String, String> dimensions, Boolean enforce) {
    }
}
