package dev.tally.domain.cost;

import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One call to an external API (R40): its type ({@code llm}, {@code video}, {@code audio},
 * {@code image}, {@code image_edit}, {@code search} or operator-defined), the provider that
 * actually served it, the model, the cost in USD, the HTTP status and the latency.
 */
public record ApiCall(String id, UserId user, String callType, String provider, Optional<String> model,
                      BigDecimal costUsd, OptionalInt statusCode, OptionalLong latencyMs, Instant occurredAt) {

    private static final Pattern CALL_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public ApiCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(statusCode, "statusCode");
        Objects.requireNonNull(latencyMs, "latencyMs");
        Objects.requireNonNull(occurredAt, "occurredAt");
        requireCallType(callType);
        if (provider == null || provider.isBlank() || provider.length() > 100) {
            throw DomainException.invalid("invalid_provider", "provider must be 1-100 characters");
        }
        if (model.filter(m -> m.length() > 128).isPresent()) {
            throw DomainException.invalid("invalid_model", "model is longer than 128 characters");
        }
        costUsd = Money.usd(Money.quantity(costUsd, "cost_usd"));
        if (costUsd.signum() < 0) {
            throw DomainException.invalid("invalid_cost", "cost_usd cannot be negative");
        }
        if (statusCode.isPresent() && (statusCode.getAsInt() < 100 || statusCode.getAsInt() > 599)) {
            throw DomainException.invalid("invalid_status_code", "status_code must be 100-599");
        }
        if (latencyMs.isPresent() && latencyMs.getAsLong() < 0) {
            throw DomainException.invalid("invalid_latency", "latency_ms cannot be negative");
        }
    }

    /** Refuses a call type that does not match {@code [a-z][a-z0-9_]{0,31}}. */
    public static String requireCallType(String callType) {
        if (callType == null || !CALL_TYPE.matcher(callType).matches()) {
            throw DomainException.invalid("invalid_call_type", "call_type must match [a-z][a-z0-9_]{0,31}: " + callType);
        }
        return callType;
    }
}
