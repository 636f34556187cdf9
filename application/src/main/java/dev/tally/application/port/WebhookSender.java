package dev.tally.application.port;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** Posts one signed event to an endpoint (R76): the HTTP client, outside any transaction. */
public interface WebhookSender {

    /** How long an attempt may take, from connecting to the last byte of the answer read. */
    Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * Posts {@code body} to {@code target} with the {@code Tally-Event-Id} and a
     * {@code Tally-Signature} made with {@code secret}, connecting only to the target's checked
     * addresses, and ends within {@link #TIMEOUT}, the answer's body included (read up to a small
     * cap and discarded); never throws for what the receiver or the network did.
     */
    Result send(Target target, String secret, String eventId, String body);

    /**
     * Where to post: the endpoint's URL, whose host and port go in the {@code Host} header and
     * whose host is the TLS server name, and the addresses its host had when it was checked, the
     * only ones to connect to (R77), so that no later answer of the name's DNS can move the attempt.
     */
    record Target(URI url, List<InetAddress> addresses) {

        public Target {
            Objects.requireNonNull(url, "url");
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("a target has at least one address");
            }
        }
    }

    /** What the receiver answered, or why it did not. */
    record Result(OptionalInt statusCode, long latencyMs, Optional<String> error) {

        public boolean delivered() {
            return statusCode.isPresent() && statusCode.getAsInt() >= 200 && statusCode.getAsInt() < 300;
        }
    }
}
