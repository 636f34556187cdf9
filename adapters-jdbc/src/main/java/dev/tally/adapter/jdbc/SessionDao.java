package dev.tally.adapter.jdbc;

import dev.tally.domain.session.Session;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Sessions' SQL. */
@org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory(SessionDao.Rows.class)
interface SessionDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(Session.class, SessionDao::map);
        }
    }

    /** A session as bound to a statement: plain nullable values. */
    record Row(String id, String user, String title, BigDecimal fileSizeMb, Instant createdAt, Long durationSeconds) {

        static Row of(Session session) {
            return new Row(session.id(), session.user().value(), session.title(), session.fileSizeMb().orElse(null),
                    session.createdAt(),
                    session.durationSeconds().isPresent() ? session.durationSeconds().getAsLong() : null);
        }
    }

    static Session map(ResultSet rs) throws SQLException {
        long duration = rs.getLong("duration_seconds");
        OptionalLong durationSeconds = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(duration);
        return new Session(rs.getString("id"), new UserId(rs.getString("user_id")), rs.getString("title"),
                Decimals.optionalQuantity(rs, "file_size_mb"), Instants.get(rs, "created_at"), durationSeconds);
    }

    @SqlUpdate("INSERT INTO sessions (id, user_id, title, file_size_mb, created_at, duration_seconds) "
            + "VALUES (:id, :user, :title, :fileSizeMb, :createdAt, :durationSeconds)")
    void insert(@BindMethods Row session);

    @SqlQuery("SELECT id, user_id, title, file_size_mb, created_at, duration_seconds FROM sessions "
            + "WHERE id = :id AND user_id = :user")
    Optional<Session> find(String user, String id);

    /** Replaces a session only while it is still open; 0 rows means it is missing or already completed. */
    @SqlUpdate("UPDATE sessions SET title = :title, file_size_mb = :fileSizeMb, created_at = :createdAt, "
            + "duration_seconds = :durationSeconds WHERE id = :id AND user_id = :user AND duration_seconds IS NULL")
    int replaceOpen(@BindMethods Row session);
}
