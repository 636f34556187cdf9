package dev.tally.application.memory;

import dev.tally.application.port.WebhookStore;
import dev.tally.domain.event.Event;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
        long claim;
        /** Redelivered while an attempt was under way: due again once it is recorded. */
        boolean againAfterAttempt;
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
    private long nextClaim = 1;

    @Override
    public synchronized boolean create(WebhookEndpoint endpoint, int atMost) {
        if (endpoints.size() >= atMost || endpoints.containsKey(endpoint.id())) {
            return false;
        }
        endpoints.put(endpoint.id(), endpoint);
        return true;
    }

    @Override
    public synchronized void update(WebhookEndpoint endpoint) {
        endpoints.replace(endpoint.id(), endpoint);
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
    public synchronized List<Due> claimDue(Instant now, Duration lease, int max, int perEndpoint) {
        Map<String, Long> leased = deliveries.values().stream().filter(d -> leased(d, now))
                .collect(Collectors.groupingBy(d -> d.endpointId, Collectors.counting()));
        Set<String> taken = new HashSet<>();
        List<Due> claimed = new ArrayList<>();
        deliveries.values().stream()
                .filter(d -> d.state == State.PENDING && !d.nextAttemptAt.isAfter(now) && !leased(d, now))
                .filter(d -> endpoints.containsKey(d.endpointId) && endpoints.get(d.endpointId).enabled()
                        && leased.getOrDefault(d.endpointId, 0L) < perEndpoint)
                .sorted(Comparator.comparing((Delivery d) -> d.nextAttemptAt).thenComparingLong(d -> d.id))
                .filter(d -> taken.add(d.endpointId))
                .limit(max)
                .forEach(d -> {
                    d.leaseUntil = now.plus(lease);
                    d.claim = nextClaim++;
                    claimed.add(new Due(d.id, d.claim, d.event, endpoints.get(d.endpointId), d.attempts,
                            Optional.ofNullable(d.firstAttemptAt)));
                });
        return claimed;
    }

    private static boolean leased(Delivery d, Instant now) {
        return d.leaseUntil != null && d.leaseUntil.isAfter(now);
    }

    @Override
    public synchronized boolean recorded(Due claimed, Attempt attempt, boolean delivered,
                                         Optional<Instant> retryAt) {
        Delivery d = deliveries.get(claimed.deliveryId());
        if (d == null || d.claim != claimed.claim() || d.leaseUntil == null || d.state != State.PENDING
                || d.attempts != attempt.attempt() - 1) {
            return false;
        }
        attempts.add(Map.entry(d.endpointId, attempt));
        d.attempts++;
        d.leaseUntil = null;
        if (d.firstAttemptAt == null) {
            d.firstAttemptAt = attempt.at();
        }
        if (d.againAfterAttempt) {
            d.againAfterAttempt = false;
            d.nextAttemptAt = attempt.at();
            return true;
        }
        d.state = delivered ? State.DELIVERED : retryAt.isPresent() ? State.PENDING : State.FAILED;
        retryAt.ifPresent(at -> d.nextAttemptAt = at);
        return true;
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
                // An attempt under way keeps its lease, so no other is made with its number meanwhile.
                d.againAfterAttempt = d.state == State.PENDING && d.leaseUntil != null && d.leaseUntil.isAfter(at);
                d.state = State.PENDING;
                d.nextAttemptAt = at;
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
