package dev.tally.application.access;

import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored API key: the SHA-256 of its plaintext (R61), and the user it acts for, or none for an
 * admin key that may act for any user (R60).
 */
public record ApiKey(String hash, Optional<UserId> user, Instant createdAt) {

    public ApiKey {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean isAdmin() {
        return user.isEmpty();
    }
}
