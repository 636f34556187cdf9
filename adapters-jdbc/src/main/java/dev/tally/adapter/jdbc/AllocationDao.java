package dev.tally.adapter.jdbc;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Allocations' SQL: one row per (user, metric) holding the current value. */
@RegisterRowMapperFactory(AllocationDao.Rows.class)
interface AllocationDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(ValueRow.class, ValueRow::map);
        }
    }

    /** One allocation's value. */
    record ValueRow(String metric, BigDecimal value) {
        static ValueRow map(ResultSet rs) throws SQLException {
            return new ValueRow(rs.getString("metric"), Decimals.quantity(rs, "allocated"));
        }
    }

    @SqlUpdate("INSERT INTO user_allocations (user_id, metric, allocated) VALUES (:user, :metric, 0) "
            + "ON CONFLICT DO NOTHING")
    void ensure(String user, String metric);

    /**
     * The conditional write of a change (R13), returning the new value (R75): {@code RETURNING} on
     * PostgreSQL, the updated row's generated-keys result set on H2. Empty means no row yet, or
     * below zero.
     */
    @SqlUpdate("UPDATE user_allocations SET allocated = allocated + :delta "
            + "WHERE user_id = :user AND metric = :metric AND allocated + :delta >= 0")
    @GetGeneratedKeys("allocated")
    Optional<BigDecimal> add(String user, String metric, BigDecimal delta);

    /**
     * {@link #add} within the {@code ceiling} of the increase's {@link dev.tally.domain.plan.Admission}:
     * empty also when there is no room.
     */
    @SqlUpdate("UPDATE user_allocations SET allocated = allocated + :delta "
            + "WHERE user_id = :user AND metric = :metric AND allocated + :delta >= 0 AND allocated <= :ceiling")
    @GetGeneratedKeys("allocated")
    Optional<BigDecimal> addWithin(String user, String metric, BigDecimal delta, BigDecimal ceiling);

    @SqlUpdate("UPDATE user_allocations SET allocated = :value WHERE user_id = :user AND metric = :metric")
    int set(String user, String metric, BigDecimal value);

    /** The value, with the row locked until the transaction ends. */
    @SqlQuery("SELECT allocated FROM user_allocations WHERE user_id = :user AND metric = :metric FOR UPDATE")
    BigDecimal lock(String user, String metric);

    @SqlQuery("SELECT metric, allocated FROM user_allocations WHERE user_id = :user AND metric = :metric")
    Optional<ValueRow> find(String user, String metric);

    @SqlQuery("SELECT metric, allocated FROM user_allocations WHERE user_id = :user ORDER BY metric")
    List<ValueRow> all(String user);
}
