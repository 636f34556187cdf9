package dev.tally.application.memory;

import dev.tally.application.port.WebhookStore;
import dev.tally.domain.event.Event;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Webhook endpoints, deliveries and attempts in memory; every operation holds the store's lock. */
public final class InMemoryWebhookStore implements WebhookStore {

    private enum State { PENDING, DELIVERED, FAILED }

    private static final class Delivery {
        final long id;
        final Event event;
        final String endpointId;
        State state = State.PENDING;
        int attempts;
        Instant nextAttemptAt;
        Instant leaseUntil;
        Instant firstAttemptAt;

        Delivery(long id, Event event, String endpointId, Instant due) {
            this.id = id;
            this.event = event;
            this.endpointId = endpointId;
            this.nextAttemptAt = due;
        }
    }

    private final Map<String, WebhookEndpoint> endpoints = new TreeMap<>();
    private final Map<Long, Delivery> deliveries = new LinkedHashMap<>();
    /** Every attempt beside its endpoint, oldest first. */
    private final List<Map.Entry<String, Attempt>> attempts = new ArrayList<>();
    private long nextId = 1;

    @Override
    public synchronized void save(WebhookEndpoint endpoint) {
        endpoints.put(endpoint.id(), endpoint);
    }

    @Override
    public synchronized Optional<WebhookEndpoint> find(String id) {
        return Optional.ofNullable(endpoints.get(id));
    }

    @Override
    public synchronized List<WebhookEndpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    @Override
    public synchronized boolean delete(String id) {
        deliveries.values().removeIf(d -> d.endpointId.equals(id) && d.state == State.PENDING);
        return endpoints.remove(id) != null;
    }

    @Override
    public synchronized void enqueue(Event event, Instant at) {
        endpoints.values().stream().filter(e -> e.enabled() && e.subscribes(event.type()))
                .forEach(e -> add(event, e.id(), at));
    }

    private void add(Event event, String endpointId, Instant at) {
        long id = nextId++;
        deliveries.put(id, new Delivery(id, event, endpointId, at));
    }

    @Override
    public synchronized List<Due> claimDue(Instant now, Duration lease, int max) {
        List<Due> claimed = new ArrayList<>();
        deliveries.values().stream()
                .filter(d -> d.state == State.PENDING && !d.nextAttemptAt.isAfter(now)
                        && (d.leaseUntil == null || !d.leaseUntil.isAfter(now)) && endpoints.containsKey(d.endpointId))
                .sorted(Comparator.comparing((Delivery d) -> d.nextAttemptAt).thenComparingLong(d -> d.id))
                .limit(max)
                .forEach(d -> {
                    d.leaseUntil = now.plus(lease);
                    claimed.add(new Due(d.id, d.event, endpoints.get(d.endpointId), d.attempts,
                            Optional.ofNullable(d.firstAttemptAt)));
                });
        return claimed;
    }

    @Override
    public synchronized void recorded(long deliveryId, Attempt attempt, boolean delivered,
                                      Optional<Instant> retryAt) {
        Delivery d = deliveries.get(deliveryId);
        if (d == null) {
            return;
        }
        attempts.add(Map.entry(d.endpointId, attempt));
        d.attempts++;
        d.leaseUntil = null;
        if (d.firstAttemptAt == null) {
            d.firstAttemptAt = attempt.at();
        }
        d.state = delivered ? State.DELIVERED : retryAt.isPresent() ? State.PENDING : State.FAILED;
        retryAt.ifPresent(at -> d.nextAttemptAt = at);
    }

    @Override
    public synchronized List<Attempt> attempts(String endpointId, int limit) {
        List<Attempt> newestFirst = new ArrayList<>();
        for (int i = attempts.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
            if (attempts.get(i).getKey().equals(endpointId)) {
                newestFirst.add(attempts.get(i).getValue());
            }
        }
        return newestFirst;
    }

    @Override
    public synchronized int redeliver(Event event, Instant at) {
        int due = 0;
        for (WebhookEndpoint endpoint : endpoints.values()) {
            if (!endpoint.enabled() || !endpoint.subscribes(event.type())) {
                continue;
            }
            Optional<Delivery> existing = deliveries.values().stream()
                    .filter(d -> d.event.id().equals(event.id()) && d.endpointId.equals(endpoint.id())).findFirst();
            if (existing.isPresent()) {
                Delivery d = existing.get();
                d.state = State.PENDING;
                d.nextAttemptAt = at;
                d.leaseUntil = null;
            } else {
                add(event, endpoint.id(), at);
            }
            due++;
        }
        return due;
    }

    @Override
    public synchronized Counts counts() {
        long pending = deliveries.values().stream().filter(d -> d.state == State.PENDING).count();
        long delivered = deliveries.values().stream().filter(d -> d.state == State.DELIVERED).count();
        return new Counts(pending, delivered, deliveries.size() - pending - delivered);
    }
}
