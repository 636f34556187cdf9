package dev.tally.domain.run;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/** The delivery of a run's result to the caller's webhook (R29). */
public record WebhookDelivery(boolean delivered, int attempts, Optional<Instant> lastAttemptAt,
                              OptionalInt lastResponseStatus) {

    public static final WebhookDelivery NONE = new WebhookDelivery(false, 0, Optional.empty(), OptionalInt.empty());

    /** The record after one more attempt; once delivered, it stays delivered. */
    public WebhookDelivery attempt(Instant at, OptionalInt responseStatus, boolean succeeded) {
        return new WebhookDelivery(delivered || succeeded, attempts + 1, Optional.of(at), responseStatus);
    }
}
