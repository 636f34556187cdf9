package dev.tally.application.port;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** Posts one signed event to an endpoint (R76): the HTTP client, outside any transaction. */
public interface WebhookSender {

    /** How long a receiver has to answer 2xx. */
    Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * Posts {@code body} to {@code url} with the {@code Tally-Event-Id} and a
     * {@code Tally-Signature} made with {@code secret}; never throws for what the receiver or the
     * network did.
     */
    Result send(URI url, String secret, String eventId, String body);

    /** What the receiver answered, or why it did not. */
    record Result(OptionalInt statusCode, long latencyMs, Optional<String> error) {

        public boolean delivered() {
            return statusCode.isPresent() && statusCode.getAsInt() >= 200 && statusCode.getAsInt() < 300;
        }
    }
}
