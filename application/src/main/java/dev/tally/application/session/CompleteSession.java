package dev.tally.application.session;

import dev.tally.domain.DomainException;
import dev.tally.domain.Fingerprint;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;

/** Complete an open session after {@code durationSeconds}; its minutes are added to {@code session_minutes}. */
public record CompleteSession(UserId user, String sessionId, long durationSeconds,
                              Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public CompleteSession {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (durationSeconds < 0) {
            throw DomainException.invalid("invalid_duration", "duration_seconds cannot be negative");
        }
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("complete-session").with("session_id", sessionId)
                .with("duration_seconds", durationSeconds).hex();
    }

    /** Completes the session without an idempotency key. */
    public static CompleteSession of(UserId user, String sessionId, long durationSeconds) {
        return new CompleteSession(user, sessionId, durationSeconds, Optional.empty());
    }
}
