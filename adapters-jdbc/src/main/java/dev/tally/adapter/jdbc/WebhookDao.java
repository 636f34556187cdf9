package dev.tally.adapter.jdbc;

import dev.tally.application.port.WebhookStore;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Webhooks' SQL: endpoints, deliveries and attempts. */
@RegisterRowMapperFactory(WebhookDao.Rows.class)
interface WebhookDao {

    /** The enabled endpoints subscribed to the event type {@code :type}. */
    String SUBSCRIBED = "SELECT id FROM webhook_endpoints WHERE enabled "
            + "AND (events = '*' OR ',' || events || ',' LIKE '%,' || :type || ',%')";

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(WebhookEndpoint.class, Rows::endpoint);
            map(WebhookStore.Attempt.class, Rows::attempt);
            map(DueRow.class, rs -> new DueRow(rs.getLong("id"), rs.getLong("claim"), rs.getString("event_id"),
                    endpoint(rs), rs.getInt("attempts"), Instants.optional(rs, "first_attempt_at")));
            map(StateCount.class, rs -> new StateCount(rs.getString("state"), rs.getLong("n")));
        }

        static WebhookEndpoint endpoint(ResultSet rs) throws SQLException {
            return new WebhookEndpoint(rs.getString("endpoint_id"), rs.getString("url"),
                    Arrays.asList(rs.getString("events").split(",")), rs.getBoolean("enabled"),
                    rs.getString("secret"), Instants.get(rs, "created_at"));
        }

        static WebhookStore.Attempt attempt(ResultSet rs) throws SQLException {
            int status = rs.getInt("status_code");
            OptionalInt statusCode = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(status);
            return new WebhookStore.Attempt(rs.getString("event_id"), rs.getInt("attempt"), statusCode,
                    rs.getLong("latency_ms"), Optional.ofNullable(rs.getString("error")), Instants.get(rs, "at"));
        }
    }

    /** A claimed delivery before its event is read. */
    record DueRow(long id, long claim, String eventId, WebhookEndpoint endpoint, int attempts,
                  Optional<Instant> firstAttemptAt) {
    }

    /** Deliveries in one state. */
    record StateCount(String state, long n) {
    }

    @SqlUpdate("UPDATE webhook_endpoints SET url = :url, events = :events, enabled = :enabled WHERE id = :id")
    int update(String id, String url, String events, boolean enabled);

    @SqlUpdate("INSERT INTO webhook_endpoints (id, url, events, enabled, secret, created_at) "
            + "VALUES (:id, :url, :events, :enabled, :secret, :createdAt) ON CONFLICT DO NOTHING")
    int insert(String id, String url, String events, boolean enabled, String secret, Instant createdAt);

    /** Locks every endpoint, so that concurrent creations count one after the other. */
    @SqlQuery("SELECT id FROM webhook_endpoints FOR UPDATE")
    List<String> lockAll();

    @SqlQuery("SELECT COUNT(*) FROM webhook_endpoints")
    int count();

    @SqlQuery("SELECT id AS endpoint_id, url, events, enabled, secret, created_at FROM webhook_endpoints "
            + "WHERE id = :id")
    Optional<WebhookEndpoint> find(String id);

    @SqlQuery("SELECT id AS endpoint_id, url, events, enabled, secret, created_at FROM webhook_endpoints ORDER BY id")
    List<WebhookEndpoint> all();

    @SqlUpdate("DELETE FROM webhook_deliveries WHERE endpoint_id = :id AND state = 'pending'")
    void deletePending(String id);

    @SqlUpdate("DELETE FROM webhook_endpoints WHERE id = :id")
    int delete(String id);

    /** One pending delivery per enabled endpoint subscribed to the event; none twice. */
    @SqlUpdate("INSERT INTO webhook_deliveries (event_id, endpoint_id, state, attempts, next_attempt_at) "
            + "SELECT :eventId, id, 'pending', 0, :at FROM (" + SUBSCRIBED + ") subscribed ON CONFLICT DO NOTHING")
    int enqueue(String eventId, String type, Instant at);

    /** Due and not leased: the condition a claim checks on the latest version of each row it locks. */
    String CLAIMABLE = "state = 'pending' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until <= :now)";
    String CLAIMABLE_D = "d.state = 'pending' AND d.next_attempt_at <= :now "
            + "AND (d.lease_until IS NULL OR d.lease_until <= :now)";
    String CLAIMABLE_O = "o.state = 'pending' AND o.next_attempt_at <= :now "
            + "AND (o.lease_until IS NULL OR o.lease_until <= :now)";

    /**
     * Locks, oldest due first, the oldest claimable delivery of each enabled endpoint with fewer
     * than {@code perEndpoint} deliveries leased, skipping rows another transaction has locked.
     */
    @SqlQuery("SELECT d.id FROM webhook_deliveries d WHERE " + CLAIMABLE_D
            + " AND d.id IN (SELECT (SELECT o.id FROM webhook_deliveries o WHERE o.endpoint_id = e.id AND "
            + CLAIMABLE_O + " ORDER BY o.next_attempt_at, o.id LIMIT 1)"
            + " FROM webhook_endpoints e WHERE e.enabled AND (SELECT COUNT(*) FROM webhook_deliveries f"
            + " WHERE f.endpoint_id = e.id AND f.lease_until > :now) < :perEndpoint)"
            + " ORDER BY d.next_attempt_at, d.id LIMIT :max FOR UPDATE SKIP LOCKED")
    List<Long> lockDue(Instant now, int max, int perEndpoint);

    /** Leases the locked rows under {@code claim}, each only if it is still claimable. */
    @SqlUpdate("UPDATE webhook_deliveries SET lease_until = :until, claim = :claim WHERE id IN (<ids>) AND "
            + CLAIMABLE)
    void lease(@BindList("ids") List<Long> ids, Instant now, Instant until, long claim);

    @SqlQuery("SELECT d.id, d.claim, d.event_id, d.attempts, d.first_attempt_at, e.id AS endpoint_id, e.url, "
            + "e.events, e.enabled, e.secret, e.created_at FROM webhook_deliveries d "
            + "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id IN (<ids>) AND d.claim = :claim "
            + "ORDER BY d.next_attempt_at, d.id")
    List<DueRow> due(@BindList("ids") List<Long> ids, long claim);

    /**
     * Ends the lease of an attempt made under {@code claim}, if that claim still holds; a delivery
     * redelivered during the attempt is due again at once.
     */
    @SqlUpdate("UPDATE webhook_deliveries SET attempts = attempts + 1, lease_until = NULL, "
            + "state = CASE WHEN again_after_attempt THEN 'pending' ELSE :state END, "
            + "next_attempt_at = CASE WHEN again_after_attempt THEN :at ELSE COALESCE(:retryAt, next_attempt_at) END, "
            + "first_attempt_at = COALESCE(first_attempt_at, :at), again_after_attempt = FALSE "
            + "WHERE id = :id AND claim = :claim AND lease_until IS NOT NULL AND state = 'pending' "
            + "AND attempts = :attempt - 1")
    int recorded(long id, long claim, int attempt, String state, Instant retryAt, Instant at);

    @SqlUpdate("INSERT INTO webhook_attempts (delivery_id, endpoint_id, event_id, attempt, status_code, latency_ms, "
            + "error, at) SELECT id, endpoint_id, :eventId, :attempt, :statusCode, :latencyMs, :error, :at "
            + "FROM webhook_deliveries WHERE id = :id")
    void insertAttempt(long id, String eventId, int attempt, Integer statusCode, long latencyMs, String error,
                       Instant at);

    @SqlQuery("SELECT event_id, attempt, status_code, latency_ms, error, at FROM webhook_attempts "
            + "WHERE endpoint_id = :endpointId ORDER BY id DESC LIMIT :limit")
    List<WebhookStore.Attempt> attempts(String endpointId, int limit);

    /** An attempt under way keeps its lease, so no other is made with its number meanwhile. */
    @SqlUpdate("UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = :at, "
            + "again_after_attempt = CASE WHEN state = 'pending' AND lease_until > :at THEN TRUE ELSE FALSE END "
            + "WHERE event_id = :eventId AND endpoint_id IN (" + SUBSCRIBED + ")")
    int makeDue(String eventId, String type, Instant at);

    @SqlQuery("SELECT state, COUNT(*) AS n FROM webhook_deliveries GROUP BY state")
    List<StateCount> counts();
}
