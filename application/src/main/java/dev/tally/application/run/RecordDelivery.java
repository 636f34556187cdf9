package dev.tally.application.run;

import dev.tally.domain.DomainException;
import dev.tally.domain.Fingerprint;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Record one attempt to deliver a run's result to the caller's webhook (R29).
 *
 * @param responseStatus the HTTP status the webhook answered with (100-599), if it answered
 */
public record RecordDelivery(UserId user, String runId, boolean delivered, OptionalInt responseStatus,
                             Optional<IdempotencyKey> idempotencyKey) {

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public RecordDelivery {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(responseStatus, "responseStatus");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (responseStatus.isPresent() && (responseStatus.getAsInt() < 100 || responseStatus.getAsInt() > 599)) {
            throw DomainException.invalid("invalid_status_code", "response_status must be 100-599");
        }
    }

    /** What makes a retry the same request (R20): the fields as sent. */
    public String fingerprint() {
        return Fingerprint.of("webhook-delivery").with("run_id", runId).with("delivered", delivered)
                .with("response_status", responseStatus).hex();
    }
}
