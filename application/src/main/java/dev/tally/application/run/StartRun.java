package dev.tally.application.run;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;

/** Start a report run; it reserves one run against the plan's {@code runs} limit (R26). */
public record StartRun(UserId user, Optional<String> repositoryId, Optional<String> configurationId,
                       Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public StartRun {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(repositoryId, "repositoryId");
        Objects.requireNonNull(configurationId, "configurationId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("start-run").with("repository_id", repositoryId)
                .with("configuration_id", configurationId).hex();
    }

    /** A run without repository or configuration and without a key. */
    public static StartRun of(UserId user) {
        return new StartRun(user, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
