package dev.tally.application.run;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;

/** End a running run as {@code completion} says (R25, R27). */
public record CompleteRun(UserId user, String runId, RunCompletion completion,
                          Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public CompleteRun {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("complete-run").with("run_id", runId)
                .with("status", completion.status()).with("tokens_input", completion.tokensInput())
                .with("tokens_output", completion.tokensOutput()).with("model", completion.model())
                .with("commits_processed", completion.commitsProcessed()).with("cost_usd", completion.costUsd())
                .with("error_code", completion.errorCode()).with("error_message", completion.errorMessage()).hex();
    }

    /** Ends the run without an idempotency key. */
    public static CompleteRun of(UserId user, String runId, RunCompletion completion) {
        return new CompleteRun(user, runId, completion, Optional.empty());
    }
}
