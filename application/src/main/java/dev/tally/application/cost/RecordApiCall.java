package dev.tally.application.cost;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Record one external API call (R40). It counts one {@code api_calls.<call_type>} and its cost in
 * {@code cost_usd}; with {@code enforce}, both limits are checked atomically first (R43).
 */
public record RecordApiCall(UserId user, String callType, Optional<String> provider, Optional<String> model,
                            BigDecimal costUsd, OptionalInt statusCode, OptionalLong latencyMs,
                            Optional<Instant> occurredAt, boolean enforce, Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public RecordApiCall {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(statusCode, "statusCode");
        Objects.requireNonNull(latencyMs, "latencyMs");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /**
     * What makes a retry the same call (R20): the fields as sent. The provider is the one given,
     * never the one detected, and an absent {@code occurred_at} stays absent.
     */
    public String fingerprint() {
        return Fingerprint.of("api-call").with("call_type", callType).with("provider", provider).with("model", model)
                .with("cost_usd", costUsd).with("status_code", statusCode).with("latency_ms", latencyMs)
                .with("occurred_at", occurredAt).with("enforce", enforce).hex();
    }
}
