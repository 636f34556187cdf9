package dev.tally.adapter.jdbc;

import dev.tally.application.port.AuditEntry;
import dev.tally.application.port.AuditLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The audit log in SQL (R93): one {@code INSERT} per entry and reads newest first. This class has
 * no statement that updates or deletes an entry, and no other class names the table.
 */
public final class JdbiAuditLog implements AuditLog {

    private static final String INSERT = "INSERT INTO audit_log (at, actor_key_id, action, target, request_id, summary) "
            + "VALUES (:at, :actor, :action, :target, :request, :summary)";
    private static final String PAGE = "SELECT id, at, actor_key_id, action, target, request_id, summary FROM audit_log "
            + "WHERE id < :before AND (:target = '' OR target = :target) AND (:action = '' OR action = :action) "
            + "ORDER BY id DESC LIMIT :limit";

    private final Db db;

    JdbiAuditLog(Db db) {
        this.db = db;
    }

    @Override
    public AuditEntry append(AuditEntry entry) {
        long id = db.inTransaction(handle -> handle.createUpdate(INSERT)
                .bind("at", Instants.toNanos(entry.at()))
                .bind("actor", entry.actorKeyId())
                .bind("action", entry.action())
                .bind("target", entry.target())
                .bind("request", entry.requestId())
                .bind("summary", entry.summary())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return entry.numbered(id);
    }

    @Override
    public List<AuditEntry> page(Optional<String> target, Optional<String> action, long before, int limit) {
        return db.read(handle -> handle.createQuery(PAGE)
                .bind("before", before)
                .bind("target", target.orElse(""))
                .bind("action", action.orElse(""))
                .bind("limit", limit)
                .map((rs, ctx) -> entry(rs)).list());
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), Instants.get(rs, "at"), rs.getString("actor_key_id"),
                rs.getString("action"), rs.getString("target"), rs.getString("request_id"), rs.getString("summary"));
    }
}
