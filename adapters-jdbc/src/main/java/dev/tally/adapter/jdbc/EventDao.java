package dev.tally.adapter.jdbc;

import dev.tally.application.port.EventLog;
import dev.tally.domain.event.Event;
import dev.tally.domain.event.EventType;
import dev.tally.domain.user.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The event outbox's SQL. */
@RegisterRowMapperFactory(EventDao.Rows.class)
interface EventDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(EventLog.Logged.class, rs -> new EventLog.Logged(rs.getLong("seq"), event(rs)));
        }

        private static Event event(ResultSet rs) throws SQLException {
            return new Event(rs.getString("id"), EventType.parse(rs.getString("type")),
                    Instants.get(rs, "created_at"), new UserId(rs.getString("user_id")), rs.getString("data"));
        }
    }

    /** Inserts the event unless the user has one under the key; 0 rows when it has. */
    @SqlUpdate("INSERT INTO events (id, user_id, type, created_at, once_key, data) "
            + "VALUES (:id, :user, :type, :createdAt, :onceKey, :data) ON CONFLICT DO NOTHING")
    int insertOnce(String id, String user, String type, Instant createdAt, String onceKey, String data);

    @SqlQuery("SELECT seq, id, user_id, type, created_at, data FROM events WHERE id = :id")
    Optional<EventLog.Logged> find(String id);

    /** A page oldest first; the filters are optional (an empty string matches every value). */
    @SqlQuery("SELECT seq, id, user_id, type, created_at, data FROM events "
            + "WHERE seq > :after AND (:user = '' OR user_id = :user) AND (:type = '' OR type = :type) "
            + "ORDER BY seq LIMIT :limit")
    List<EventLog.Logged> page(long after, String user, String type, int limit);

    @SqlQuery("SELECT seq, id, user_id, type, created_at, data FROM events "
            + "WHERE seq < :before AND (:user = '' OR user_id = :user) AND (:type = '' OR type = :type) "
            + "ORDER BY seq DESC LIMIT :limit")
    List<EventLog.Logged> pageBefore(long before, String user, String type, int limit);
}
