package dev.tally.adapter.jdbc;

import dev.tally.application.port.ExportPosition;
import dev.tally.application.port.ExportRow;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Every statement on {@code usage_voids} (R92), and the export's reads of facts with their voids
 * (R94), in plain JDBC ({@link Jdbc}) in the handle's transaction.
 */
final class VoidTable {

    /** A fact locked for its void, so that concurrent voids of it take turns. */
    private static final String FACT = "SELECT id, metric, quantity, occurred_at, period_start, period_end, dimensions "
            + "FROM usage_facts WHERE user_id = ? AND idempotency_key = ? FOR UPDATE";
    private static final String VOID = "SELECT reason, voided_at FROM usage_voids WHERE fact_id = ?";
    private static final String INSERT = "INSERT INTO usage_voids (fact_id, user_id, reason, voided_at) "
            + "VALUES (?, ?, ?, ?)";
    private static final String EXPORT = "SELECT f.id, f.user_id, f.idempotency_key, f.metric, f.quantity, "
            + "f.occurred_at, f.dimensions, v.reason, v.voided_at "
            + "FROM usage_facts f LEFT JOIN usage_voids v ON v.fact_id = f.id "
            + "WHERE f.occurred_at >= ? AND f.occurred_at < ? AND (f.occurred_at > ? OR f.id > ?) ";
    private static final String ORDER = "ORDER BY f.occurred_at, f.id LIMIT ?";

    /** A fact as a void reads it. */
    record Fact(long id, MetricKey metric, BigDecimal quantity, Instant occurredAt, BillingPeriod period,
                String dimensions) {
        static Fact map(ResultSet rs) throws SQLException {
            return new Fact(rs.getLong("id"), new MetricKey(rs.getString("metric")), Decimals.quantity(rs, "quantity"),
                    Instants.get(rs, "occurred_at"),
                    new BillingPeriod(Instants.get(rs, "period_start"), Instants.get(rs, "period_end")),
                    rs.getString("dimensions"));
        }
    }

    private final Handle handle;

    VoidTable(Handle handle) {
        this.handle = handle;
    }

    Optional<Fact> lockFact(UserId user, IdempotencyKey key) {
        return Jdbc.first(handle, FACT, Fact::map, user.value(), key.value());
    }

    Optional<ExportRow.Voided> voidOf(long factId) {
        return Jdbc.first(handle, VOID, VoidTable::voided, factId);
    }

    void insert(long factId, UserId user, String reason, Instant at) {
        Jdbc.update(handle, INSERT, factId, user.value(), reason, at);
    }

    /**
     * A page of facts in export order (R94), from index usage_facts_export or, for one user,
     * usage_facts_user_export: the scan starts at {@code after} and reads the page's rows only.
     */
    List<ExportRow> exportPage(Optional<UserId> user, Instant from, Instant to, ExportPosition after, int limit) {
        // (occurred_at, id) > after, written so that the index range starts at after's instant.
        Instant start = after.occurredAt().isAfter(from) ? after.occurredAt() : from;
        String sql = EXPORT + "AND f.occurred_at >= ? " + (user.isPresent() ? "AND f.user_id = ? " : "") + ORDER;
        Object[] head = {from, to, after.occurredAt(), after.seq(), start};
        Object[] parameters = user.isPresent()
                ? new Object[] {head[0], head[1], head[2], head[3], head[4], user.get().value(), (long) limit}
                : new Object[] {head[0], head[1], head[2], head[3], head[4], (long) limit};
        return Jdbc.list(handle, sql, VoidTable::row, parameters);
    }

    private static ExportRow row(ResultSet rs) throws SQLException {
        Instant occurredAt = Instants.get(rs, "occurred_at");
        Optional<ExportRow.Voided> voided = rs.getString("reason") == null ? Optional.empty()
                : Optional.of(voided(rs));
        return new ExportRow(new ExportPosition(occurredAt, rs.getLong("id")), new UserId(rs.getString("user_id")),
                new IdempotencyKey(rs.getString("idempotency_key")), new MetricKey(rs.getString("metric")),
                Decimals.quantity(rs, "quantity"), occurredAt, rs.getString("dimensions"), voided);
    }

    private static ExportRow.Voided voided(ResultSet rs) throws SQLException {
        return new ExportRow.Voided(rs.getString("reason"), Instants.get(rs, "voided_at"));
    }
}
