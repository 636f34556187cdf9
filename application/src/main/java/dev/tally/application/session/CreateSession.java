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

    public CreateSession {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(fileSizeMb, "fileSizeMb");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("create-session").with("title", title).with("file_size_mb", fileSizeMb).hex();
    }
}
