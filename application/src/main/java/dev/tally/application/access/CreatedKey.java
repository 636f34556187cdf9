package dev.tally.application.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A key just created: its plaintext, shown this once and never stored (R61), with what identifies
 * it afterwards (R63).
 */
public record CreatedKey(String id, String key, String prefix, Instant createdAt) {

    public CreatedKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
