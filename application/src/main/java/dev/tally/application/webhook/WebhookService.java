package dev.tally.application.webhook;

import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.EventLog;
import dev.tally.application.port.Transactions;
import dev.tally.application.port.WebhookStore;
import dev.tally.domain.DomainException;
import dev.tally.domain.Fingerprint;
import dev.tally.domain.event.Event;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Webhook endpoints and their deliveries, for the operator (R76, R77): create or replace an
 * endpoint (its secret generated at creation), list and delete them, read an endpoint's attempts,
 * redeliver an event.
 */
public class WebhookService {

    /** Attempts shown per endpoint, newest first. */
    public static final int ATTEMPTS_SHOWN = 100;
    /** Endpoints an operator may have at once; every one of them gets its share of each node's attempts (R77). */
    public static final int MAX_ENDPOINTS = 100;

    private static final SecureRandom SECRETS = new SecureRandom();

    private final WebhookStore store;
    private final EventLog events;
    private final Transactions transactions;
    private final UrlGuard guard;
    private final Clock clock;
    private final IdempotentWrites writes;

    public WebhookService(WebhookStore store, EventLog events, Transactions transactions, UrlGuard guard,
                          IdempotentWrites writes, Clock clock) {
        this.writes = writes;
        this.store = store;
        this.events = events;
        this.transactions = transactions;
        this.guard = guard;
        this.clock = clock;
    }

    /**
     * Creates the endpoint with a fresh secret, or changes its URL, events and state; a new one
     * beyond {@link #MAX_ENDPOINTS} is {@code 409 too_many_webhook_endpoints}. Disabling one stops
     * its pending attempts until it is enabled again.
     */
    public SavedEndpoint put(PutEndpoint command) {
        guard.check(command.url());
        return transactions.inTransaction(() -> {
            boolean enabled = command.enabled().orElse(true);
            Optional<WebhookEndpoint> stored = store.find(command.id());
            if (stored.isEmpty()) {
                WebhookEndpoint created = new WebhookEndpoint(command.id(), command.url(), command.events(), enabled,
                        newSecret(), clock.instant());
                if (store.create(created, MAX_ENDPOINTS)) {
                    return new SavedEndpoint(created, true);
                }
                // Not created: either the bound, or a concurrent request created this very endpoint first.
                stored = store.find(command.id());
                if (stored.isEmpty()) {
                    throw DomainException.conflict("too_many_webhook_endpoints", "there are " + MAX_ENDPOINTS
                            + " webhook endpoints already, the most there may be; delete one or reuse one with PUT");
                }
            }
            WebhookEndpoint changed = stored.get().changedTo(command.url(), command.events(), enabled);
            store.update(changed);
            return new SavedEndpoint(changed, false);
        });
    }

    public List<WebhookEndpoint> list() {
        return store.endpoints();
    }

    /**
     * Deletes the endpoint and its pending deliveries and returns it as it was;
     * {@code 404 webhook_endpoint_not_found} when there is none.
     */
    public WebhookEndpoint delete(String id) {
        return transactions.inTransaction(() -> store.find(id).filter(found -> store.delete(id)))
                .orElseThrow(() -> notFound(id));
    }

    /** The endpoint's attempts, newest first. */
    public List<WebhookStore.Attempt> attempts(String endpointId) {
        store.find(endpointId).orElseThrow(() -> notFound(endpointId));
        return store.attempts(endpointId, ATTEMPTS_SHOWN);
    }

    /** Delivers the event again to every endpoint subscribed to it; returns to how many. */
    public int redeliver(String eventId) {
        return redeliver(eventId, Optional.empty());
    }

    /**
     * {@link #redeliver(String)} once per idempotency key (R20), scoped to the event's user: a retry
     * answers the first request's count and queues nothing again.
     */
    public int redeliver(String eventId, Optional<IdempotencyKey> idempotencyKey) {
        Event event = events.find(eventId).orElseThrow(() ->
                DomainException.notFound("event_not_found", "no event " + eventId));
        return writes.executeAlways(event.user(), idempotencyKey,
                Fingerprint.of("redeliver").with("event_id", event.id()).hex(),
                () -> store.redeliver(event, clock.instant()), String::valueOf, Integer::parseInt);
    }

    /** Deliveries by state, for metrics. */
    public WebhookStore.Counts counts() {
        return store.counts();
    }

    /**
     * A fresh endpoint secret, {@code whsec_} and 48 hex digits; for an endpoint loaded into
     * storage directly (the demo's), as {@link #put} makes one.
     */
    public static String newSecret() {
        byte[] bytes = new byte[24];
        SECRETS.nextBytes(bytes);
        return "whsec_" + HexFormat.of().formatHex(bytes);
    }

    private static DomainException notFound(String id) {
        return DomainException.notFound("webhook_endpoint_not_found", "no webhook endpoint " + id);
    }
}
