package dev.tally.adapter.jdbc;

import dev.tally.application.port.WebhookStore;
import dev.tally.domain.event.Event;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Webhook endpoints, deliveries and attempts in SQL (R76, R77). Due deliveries are claimed with
 * {@code FOR UPDATE SKIP LOCKED} (PostgreSQL and H2) and leased in the same transaction under a
 * random claim token, so concurrent claims on any number of nodes never hand out one delivery
 * twice; an attempt is recorded only while its token still holds, and a unique index on
 * (delivery, attempt) makes a second record of one attempt impossible.
 */
public final class JdbiWebhookStore implements WebhookStore {

    /** Claim tokens: random, so that no two claims of one delivery, on any node, share one. */
    private static final SecureRandom CLAIMS = new SecureRandom();

    private final Db db;

    JdbiWebhookStore(Db db) {
        this.db = db;
    }

    private static String events(WebhookEndpoint endpoint) {
        return String.join(",", endpoint.events());
    }

    @Override
    public boolean create(WebhookEndpoint e, int atMost) {
        return db.inTransaction(handle -> {
            WebhookDao dao = Db.attach(handle, WebhookDao.class);
            // Creations wait for each other on the rows they lock, so the count each reads is exact.
            dao.lockAll();
            return dao.count() < atMost
                    && dao.insert(e.id(), e.url(), events(e), e.enabled(), e.secret(), e.createdAt()) == 1;
        });
    }

    @Override
    public void update(WebhookEndpoint e) {
        db.inTransaction(handle -> Db.attach(handle, WebhookDao.class).update(e.id(), e.url(), events(e),
                e.enabled()));
    }

    @Override
    public Optional<WebhookEndpoint> find(String id) {
        return db.read(handle -> Db.attach(handle, WebhookDao.class).find(id));
    }

    @Override
    public List<WebhookEndpoint> endpoints() {
        return db.read(handle -> Db.attach(handle, WebhookDao.class).all());
    }

    @Override
    public boolean delete(String id) {
        return db.inTransaction(handle -> {
            WebhookDao dao = Db.attach(handle, WebhookDao.class);
            dao.deletePending(id);
            return dao.delete(id) == 1;
        });
    }

    @Override
    public void enqueue(Event event, Instant at) {
        db.inTransaction(handle ->
                Db.attach(handle, WebhookDao.class).enqueue(event.id(), event.type().wireName(), at));
    }

    @Override
    public List<Due> claimDue(Instant now, Duration lease, int max, int perEndpoint) {
        return db.inTransaction(handle -> {
            WebhookDao dao = Db.attach(handle, WebhookDao.class);
            List<Long> ids = dao.lockDue(now, max, perEndpoint);
            if (ids.isEmpty()) {
                return List.of();
            }
            long claim = CLAIMS.nextLong();
            dao.lease(ids, now, now.plus(lease), claim);
            JdbiEventLog events = new JdbiEventLog(db);
            return dao.due(ids, claim).stream()
                    .map(row -> new Due(row.id(), row.claim(), events.find(row.eventId()).orElseThrow(),
                            row.endpoint(), row.attempts(), row.firstAttemptAt()))
                    .toList();
        });
    }

    @Override
    public boolean recorded(Due claimed, Attempt attempt, boolean delivered, Optional<Instant> retryAt) {
        String state = delivered ? "delivered" : retryAt.isPresent() ? "pending" : "failed";
        return db.inTransaction(handle -> {
            WebhookDao dao = Db.attach(handle, WebhookDao.class);
            if (dao.recorded(claimed.deliveryId(), claimed.claim(), attempt.attempt(), state, retryAt.orElse(null),
                    attempt.at()) == 0) {
                return false;
            }
            dao.insertAttempt(claimed.deliveryId(), attempt.eventId(), attempt.attempt(),
                    attempt.statusCode().isPresent() ? attempt.statusCode().getAsInt() : null, attempt.latencyMs(),
                    attempt.error().map(error -> error.length() > 500 ? error.substring(0, 500) : error).orElse(null),
                    attempt.at());
            return true;
        });
    }

    @Override
    public List<Attempt> attempts(String endpointId, int limit) {
        return db.read(handle -> Db.attach(handle, WebhookDao.class).attempts(endpointId, limit));
    }

    @Override
    public int redeliver(Event event, Instant at) {
        return db.inTransaction(handle -> {
            WebhookDao dao = Db.attach(handle, WebhookDao.class);
            dao.enqueue(event.id(), event.type().wireName(), at);
            return dao.makeDue(event.id(), event.type().wireName(), at);
        });
    }

    @Override
    public Counts counts() {
        Map<String, Long> byState = db.read(handle -> Db.attach(handle, WebhookDao.class).counts()).stream()
                .collect(Collectors.toMap(WebhookDao.StateCount::state, WebhookDao.StateCount::n));
        return new Counts(byState.getOrDefault("pending", 0L), byState.getOrDefault("delivered", 0L),
                byState.getOrDefault("failed", 0L));
    }
}
