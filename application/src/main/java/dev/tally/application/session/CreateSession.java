package dev.tally.application.session;

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
}
