package dev.tally.application.access;

import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling: an admin, who may act for any user, or one user (R60); and the id of the key
 * it called with, when known, which the audit log names as the actor (R93).
 */
public record Principal(Optional<UserId> user, Optional<String> keyId) {

    public static final Principal ADMIN = new Principal(Optional.empty());

    public Principal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(keyId, "keyId");
    }

    /** Two principals are the same caller when they act for the same user (or both as admin), whatever key. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Principal that && user.equals(that.user);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }

    /** A caller whose key is not named. */
    public Principal(Optional<UserId> user) {
        this(user, Optional.empty());
    }

    public static Principal of(UserId user) {
        return new Principal(Optional.of(user));
    }

    public boolean isAdmin() {
        return user.isEmpty();
    }

    /** Whether this caller may act for {@code other}. */
    public boolean canActFor(UserId other) {
        return user.map(other::equals).orElse(true);
    }
}
