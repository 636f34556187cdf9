package dev.tally.adapter.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Users' overrides and scheduled plan changes' SQL (R73): one row of each per user at most. */
@RegisterRowMapperFactory(PlanTermsDao.Rows.class)
interface PlanTermsDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(TermsRow.class, TermsRow::map);
        }
    }

    /** A user's override text and expiry, and scheduled plan and instant; NULL where there is none. */
    record TermsRow(String terms, Long expiresAt, String planId, Long applyAt) {
        static TermsRow map(ResultSet rs) throws SQLException {
            long expires = rs.getLong("expires_at");
            Long expiresAt = rs.wasNull() ? null : expires;
            long apply = rs.getLong("apply_at");
            Long applyAt = rs.wasNull() ? null : apply;
            return new TermsRow(rs.getString("terms"), expiresAt, rs.getString("plan_id"), applyAt);
        }
    }

    /** Both of a user's terms in one round trip. */
    @SqlQuery("SELECT o.terms, o.expires_at, s.plan_id, s.apply_at FROM (SELECT CAST(:user AS VARCHAR(128)) AS id) u "
            + "LEFT JOIN plan_overrides o ON o.user_id = u.id LEFT JOIN scheduled_plan_changes s ON s.user_id = u.id")
    Optional<TermsRow> find(String user);

    @SqlUpdate("UPDATE plan_overrides SET terms = :terms, expires_at = :expiresAt WHERE user_id = :user")
    int updateOverride(String user, String terms, Long expiresAt);

    @SqlUpdate("INSERT INTO plan_overrides (user_id, terms, expires_at) VALUES (:user, :terms, :expiresAt) "
            + "ON CONFLICT DO NOTHING")
    int insertOverride(String user, String terms, Long expiresAt);

    @SqlUpdate("DELETE FROM plan_overrides WHERE user_id = :user")
    int deleteOverride(String user);

    @SqlUpdate("UPDATE scheduled_plan_changes SET plan_id = :plan, apply_at = :applyAt WHERE user_id = :user")
    int updateScheduled(String user, String plan, long applyAt);

    @SqlUpdate("INSERT INTO scheduled_plan_changes (user_id, plan_id, apply_at) VALUES (:user, :plan, :applyAt) "
            + "ON CONFLICT DO NOTHING")
    int insertScheduled(String user, String plan, long applyAt);

    @SqlUpdate("DELETE FROM scheduled_plan_changes WHERE user_id = :user")
    int deleteScheduled(String user);
}
