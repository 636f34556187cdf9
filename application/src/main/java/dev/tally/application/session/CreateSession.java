package dev.tally.application.session;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/** Open a session, checked against {@code sessions}, {@code session_minutes} and the file-size cap. */
public record CreateSession(UserId user, String title, Optional<BigDecimal> fileSizeMb,
                            Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public CreateSession {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(fileSizeMb, "fileSizeMb");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /** Open a session titled {@code title}, with no file, without an idempotency key. */
    public static CreateSession of(UserId user, String title) {
        return new CreateSession(user, title, Optional.empty(), Optional.empty());
    }

    /** This session, checked against the plan's file-size cap for a file of {@code megabytes}. */
    public CreateSession withFileSizeMb(BigDecimal megabytes) {
        return new CreateSession(user, title, Optional.of(megabytes), idempotencyKey);
    }

    /** This request, made idempotent by {@code key} (R20). */
    public CreateSession withIdempotencyKey(IdempotencyKey key) {
        return new CreateSession(user, title, fileSizeMb, Optional.of(key));
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("create-session").with("title", title).with("file_size_mb", fileSizeMb).hex();
    }
}
