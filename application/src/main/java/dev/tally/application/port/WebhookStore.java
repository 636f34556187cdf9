package dev.tally.application.port;

import dev.tally.domain.event.Event;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Webhook endpoints, the deliveries of events to them and every attempt made (R76). Deliveries
 * are created in the transaction of their event, so they exist if and only if it does, and are
 * claimed with a lease, so that among several nodes one makes each attempt, and a node that dies
 * mid-attempt leaves the delivery to be claimed again once the lease has run out.
 */
public interface WebhookStore {

    /** Creates or replaces an endpoint. */
    void save(WebhookEndpoint endpoint);

    Optional<WebhookEndpoint> find(String id);

    /** Every endpoint, by id. */
    List<WebhookEndpoint> endpoints();

    /** Deletes an endpoint with its pending deliveries; false when there was none. */
    boolean delete(String id);

    /**
     * Creates a pending delivery, due at {@code at}, of {@code event} to every enabled endpoint
     * subscribed to its type; runs in the event's transaction.
     */
    void enqueue(Event event, Instant at);

    /**
     * Claims at most {@code max} pending deliveries due at {@code now} and not leased, leasing each
     * until {@code now + lease}; a delivery claimed here is claimed by no other caller, on any node,
     * until its lease runs out or an attempt is recorded.
     */
    List<Due> claimDue(Instant now, Duration lease, int max);

    /**
     * Records an attempt of a claimed delivery and ends its lease: due again at {@code retryAt},
     * or, without one, {@code delivered} or failed for good.
     */
    void recorded(long deliveryId, Attempt attempt, boolean delivered, Optional<Instant> retryAt);

    /** The attempts made on an endpoint, newest first, at most {@code limit}. */
    List<Attempt> attempts(String endpointId, int limit);

    /**
     * Makes every delivery of {@code event} due again at {@code at}, and creates the missing ones
     * for the enabled endpoints subscribed to it; returns how many deliveries are due.
     */
    int redeliver(Event event, Instant at);

    /** How many deliveries are pending, delivered and failed. */
    Counts counts();

    /** A claimed delivery: what to post where, and how it went so far. */
    record Due(long deliveryId, Event event, WebhookEndpoint endpoint, int attemptsMade,
               Optional<Instant> firstAttemptAt) {
    }

    /** One attempt at a delivery: an HTTP status, or the error that prevented one. */
    record Attempt(String eventId, int attempt, OptionalInt statusCode, long latencyMs, Optional<String> error,
                   Instant at) {
    }

    /** Deliveries by state. */
    record Counts(long pending, long delivered, long failed) {
    }
}
