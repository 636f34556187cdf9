package dev.tally.application.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A key just created: its plaintext, shown this once and never stored (R61), with what identifies
 * it afterwards (R63). A retry under the same idempotency key (R20) answers the same key with
 * {@code key} null: its plaintext was shown once and cannot be shown again.
 */
public record CreatedKey(String id, String key, String prefix, Instant createdAt) {

    public CreatedKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
