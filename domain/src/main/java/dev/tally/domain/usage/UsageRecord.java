package dev.tally.domain.usage;

import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable fact: this user used this much of this metric at this instant (R20–R22).
 *
 * @param dimensions free-form attributes such as provider, operation or model; at most 20
 */
public record UsageRecord(UserId user, MetricKey metric, BigDecimal quantity, Instant occurredAt,
                          IdempotencyKey idempotencyKey, Map<String, String> dimensions) {

    private static final int MAX_DIMENSIONS = 20;
    private static final int MAX_DIMENSION_LENGTH = 200;

    public UsageRecord {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        quantity = Money.quantity(quantity, "quantity");
        if (quantity.signum() <= 0) {
            throw DomainException.invalid("invalid_quantity", "quantity must be positive: " + quantity.toPlainString());
        }
        if (metric.countsWholeUnits() && quantity.scale() > 0) {
            throw DomainException.invalid("invalid_quantity",
                    metric + " counts whole units, not " + quantity.toPlainString());
        }
        dimensions = dimensions == null ? Map.of() : Map.copyOf(new TreeMap<>(dimensions));
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw DomainException.invalid("invalid_dimensions", "at most " + MAX_DIMENSIONS + " dimensions per record");
        }
        dimensions.forEach((key, value) -> {
            if (key.isBlank() || key.length() > 64 || value == null || value.length() > MAX_DIMENSION_LENGTH) {
                throw DomainException.invalid("invalid_dimensions",
                        "dimension names are 1-64 characters and values at most " + MAX_DIMENSION_LENGTH);
            }
        });
    }

    /**
     * A stable hash of everything the client sent, so a retry with the same key can be told from
     * a different payload under a reused key (R20).
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder()
                .append(metric).append('\n')
                .append(quantity.toPlainString()).append('\n')
                .append(occurredAt).append('\n');
        new TreeMap<>(dimensions).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return sha256(text.toString());
    }

    /** SHA-256 of {@code text} in lower-case hex. */
    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
