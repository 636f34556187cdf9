package dev.tally.domain.session;

import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A metered session (for example a transcription): created against the {@code sessions} limit,
 * completed once with its duration, which adds {@code ceil(duration_seconds / 60)} to
 * {@code session_minutes}.
 */
public record Session(String id, UserId user, String title, Optional<BigDecimal> fileSizeMb, Instant createdAt,
                      OptionalLong durationSeconds) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(fileSizeMb, "fileSizeMb");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(durationSeconds, "durationSeconds");
        if (title == null || title.isBlank() || title.length() > 500) {
            throw DomainException.invalid("invalid_title", "title must be 1-500 characters");
        }
    }

    /** A new, open session. */
    public static Session open(String id, UserId user, String title, Optional<BigDecimal> fileSizeMb, Instant now) {
        return new Session(id, user, title, fileSizeMb, now, OptionalLong.empty());
    }

    /** The session with its duration; a session completes once. */
    public Session complete(long seconds) {
        if (seconds < 0) {
            throw DomainException.invalid("invalid_duration", "duration_seconds cannot be negative");
        }
        if (durationSeconds.isPresent()) {
            throw DomainException.conflict("session_already_completed", "session " + id + " is already completed");
        }
        return new Session(id, user, title, fileSizeMb, createdAt, OptionalLong.of(seconds));
    }

    /** Minutes billed for {@code seconds}: {@code ceil(seconds / 60)}. */
    public static long billedMinutes(long seconds) {
        return (seconds + 59) / 60;
    }
}
