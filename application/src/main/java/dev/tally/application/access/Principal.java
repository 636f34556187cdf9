package dev.tally.application.access;

import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;

/** Who is calling: an admin, who may act for any user, or one user (R60). */
public record Principal(Optional<UserId> user) {

    public static final Principal ADMIN = new Principal(Optional.empty());

    public Principal {
        Objects.requireNonNull(user, "user");
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
