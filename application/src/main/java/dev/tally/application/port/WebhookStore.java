package dev.tally.application.port;

import dev.tally.domain.event.Event;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Webhook endpoints, the deliveries of events to them and every attempt made (R76, R77).
 * Deliveries are created in the transaction of their event, so they exist if and only if it does,
 * and are claimed with a lease, so that among several nodes one makes each attempt, and a node
 * that dies mid-attempt leaves the delivery to be claimed again once the lease has run out. Each
 * claim carries a token that the record of its attempt must still hold, and no delivery has two
 * attempts of one number.
 */
public interface WebhookStore {

    /**
     * Adds a new endpoint unless there are {@code atMost} already, counted atomically with the
     * addition on every node; false when there are.
     */
    boolean create(WebhookEndpoint endpoint, int atMost);

    /** Replaces an existing endpoint's URL, events and state. */
    void update(WebhookEndpoint endpoint);

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
     * Claims at most {@code max} pending deliveries due at {@code now} and not leased, oldest due
     * first, leasing each until {@code now + lease} under a fresh claim token: at most one per
     * endpoint, and none of an endpoint that is disabled or has {@code perEndpoint} deliveries
     * under an unexpired lease already. A delivery claimed here is claimed by no other caller, on
     * any node, until its lease runs out or an attempt is recorded.
     */
    List<Due> claimDue(Instant now, Duration lease, int max, int perEndpoint);

    /**
     * Records an attempt of a claimed delivery and ends its lease, if that claim still holds (the
     * delivery was not claimed again, deleted or recorded since): due again at {@code retryAt},
     * or, without one, {@code delivered} or failed for good; due again at once instead when it was
     * redelivered during the attempt. Returns false, recording nothing, when the claim was lost.
     */
    boolean recorded(Due claimed, Attempt attempt, boolean delivered, Optional<Instant> retryAt);

    /** The attempts made on an endpoint, newest first, at most {@code limit}. */
    List<Attempt> attempts(String endpointId, int limit);

    /**
     * Makes every delivery of {@code event} due again at {@code at} (one whose attempt is under way
     * once that attempt is recorded), and creates the missing ones for the enabled endpoints
     * subscribed to it; returns how many deliveries are due.
     */
    int redeliver(Event event, Instant at);

    /** How many deliveries are pending, delivered and failed. */
    Counts counts();

    /**
     * A claimed delivery: what to post where, and how it went so far.
     *
     * @param claim the token of this claim, which the record of its attempt must still hold
     */
    record Due(long deliveryId, long claim, Event event, WebhookEndpoint endpoint, int attemptsMade,
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
