package dev.tally.adapter.jdbc;

import dev.tally.application.port.WebhookStore;
import dev.tally.domain.event.Event;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Webhook endpoints, deliveries and attempts in SQL (R76). Due deliveries are claimed with
 * {@code FOR UPDATE SKIP LOCKED} (PostgreSQL and H2) and leased in the same transaction, so
 * concurrent claims on any number of nodes never hand out one delivery twice.
 */
public final class JdbiWebhookStore implements WebhookStore {

    private final Db db;

    public JdbiWebhookStore(Jdbi jdbi) {
        this.db = new Db(jdbi);
    }

    private static String events(WebhookEndpoint endpoint) {
        return String.join(",", endpoint.events());
    }

    @Override
    public void save(WebhookEndpoint e) {
        db.inTransaction(handle -> {
            WebhookDao dao = Db.attach(handle, WebhookDao.class);
            Upsert.run(() -> dao.update(e.id(), e.url(), events(e), e.enabled()),
                    () -> dao.insert(e.id(), e.url(), events(e), e.enabled(), e.secret(), e.createdAt()));
            return null;
        });
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
    public List<Due> claimDue(Instant now, Duration lease, int max) {
        return db.inTransaction(handle -> {
            WebhookDao dao = Db.attach(handle, WebhookDao.class);
            List<Long> ids = dao.lockDue(now, max);
            if (ids.isEmpty()) {
                return List.of();
            }
            dao.lease(ids, now.plus(lease));
            JdbiEventLog events = new JdbiEventLog(db.jdbi());
            return dao.due(ids).stream()
                    .map(row -> new Due(row.id(), events.find(row.eventId()).orElseThrow(), row.endpoint(),
                            row.attempts(), row.firstAttemptAt()))
                    .toList();
        });
    }

    @Override
    public void recorded(long deliveryId, Attempt attempt, boolean delivered, Optional<Instant> retryAt) {
        String state = delivered ? "delivered" : retryAt.isPresent() ? "pending" : "failed";
        db.inTransaction(handle -> {
            WebhookDao dao = Db.attach(handle, WebhookDao.class);
            dao.insertAttempt(deliveryId, attempt.eventId(), attempt.attempt(),
                    attempt.statusCode().isPresent() ? attempt.statusCode().getAsInt() : null, attempt.latencyMs(),
                    attempt.error().map(error -> error.length() > 500 ? error.substring(0, 500) : error).orElse(null),
                    attempt.at());
            dao.recorded(deliveryId, state, retryAt.orElse(null), attempt.at());
            return null;
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
