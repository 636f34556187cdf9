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
            map(DueRow.class, rs -> new DueRow(rs.getLong("id"), rs.getString("event_id"), endpoint(rs),
                    rs.getInt("attempts"), Instants.optional(rs, "first_attempt_at")));
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
    record DueRow(long id, String eventId, WebhookEndpoint endpoint, int attempts, Optional<Instant> firstAttemptAt) {
    }

    /** Deliveries in one state. */
    record StateCount(String state, long n) {
    }

    @SqlUpdate("UPDATE webhook_endpoints SET url = :url, events = :events, enabled = :enabled WHERE id = :id")
    int update(String id, String url, String events, boolean enabled);

    @SqlUpdate("INSERT INTO webhook_endpoints (id, url, events, enabled, secret, created_at) "
            + "VALUES (:id, :url, :events, :enabled, :secret, :createdAt) ON CONFLICT DO NOTHING")
    int insert(String id, String url, String events, boolean enabled, String secret, Instant createdAt);

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

    /** Locks due, unleased deliveries that no other transaction has locked. */
    @SqlQuery("SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= :now "
            + "AND (lease_until IS NULL OR lease_until <= :now) ORDER BY next_attempt_at, id LIMIT :max "
            + "FOR UPDATE SKIP LOCKED")
    List<Long> lockDue(Instant now, int max);

    @SqlUpdate("UPDATE webhook_deliveries SET lease_until = :until WHERE id IN (<ids>)")
    void lease(@BindList("ids") List<Long> ids, Instant until);

    @SqlQuery("SELECT d.id, d.event_id, d.attempts, d.first_attempt_at, e.id AS endpoint_id, e.url, e.events, "
            + "e.enabled, e.secret, e.created_at FROM webhook_deliveries d "
            + "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id IN (<ids>) ORDER BY d.next_attempt_at, d.id")
    List<DueRow> due(@BindList("ids") List<Long> ids);

    @SqlUpdate("INSERT INTO webhook_attempts (endpoint_id, event_id, attempt, status_code, latency_ms, error, at) "
            + "SELECT endpoint_id, :eventId, :attempt, :statusCode, :latencyMs, :error, :at "
            + "FROM webhook_deliveries WHERE id = :id")
    void insertAttempt(long id, String eventId, int attempt, Integer statusCode, long latencyMs, String error,
                       Instant at);

    @SqlUpdate("UPDATE webhook_deliveries SET attempts = attempts + 1, state = :state, lease_until = NULL, "
            + "next_attempt_at = COALESCE(:retryAt, next_attempt_at), "
            + "first_attempt_at = COALESCE(first_attempt_at, :at) WHERE id = :id")
    void recorded(long id, String state, Instant retryAt, Instant at);

    @SqlQuery("SELECT event_id, attempt, status_code, latency_ms, error, at FROM webhook_attempts "
            + "WHERE endpoint_id = :endpointId ORDER BY id DESC LIMIT :limit")
    List<WebhookStore.Attempt> attempts(String endpointId, int limit);

    @SqlUpdate("UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = :at, lease_until = NULL "
            + "WHERE event_id = :eventId AND endpoint_id IN (" + SUBSCRIBED + ")")
    int makeDue(String eventId, String type, Instant at);

    @SqlQuery("SELECT state, COUNT(*) AS n FROM webhook_deliveries GROUP BY state")
    List<StateCount> counts();
}
