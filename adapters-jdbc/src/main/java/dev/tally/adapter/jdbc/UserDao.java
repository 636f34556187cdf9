package dev.tally.adapter.jdbc;

import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingSchedule;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Users' SQL: one row per user and one per billing cycle of its schedule. */
@RegisterRowMapperFactory(UserDao.Rows.class)
interface UserDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(UserRow.class, UserRow::map);
            map(ScheduledRow.class, ScheduledRow::map);
        }
    }

    /** A user row without its schedule. */
    record UserRow(String id, String planId, Instant createdAt) {
        static UserRow map(ResultSet rs) throws SQLException {
            return new UserRow(rs.getString("id"), rs.getString("plan_id"), Instants.get(rs, "created_at"));
        }
    }

    /** One cycle of a schedule. */
    record CycleRow(String kind, Instant anchor, String zone) {
        static CycleRow map(ResultSet rs) throws SQLException {
            return new CycleRow(rs.getString("kind"), Instants.get(rs, "anchor_at"), rs.getString("time_zone"));
        }
    }

    /** One cycle of a schedule as its row is inserted, numbered in schedule order. */
    record NumberedCycle(int seq, String kind, Instant anchor, String zone) {
        static List<NumberedCycle> of(BillingSchedule schedule) {
            List<BillingCycle> cycles = schedule.cycles();
            return IntStream.range(0, cycles.size()).mapToObj(seq -> new NumberedCycle(seq,
                    cycles.get(seq).kind().wireName(), cycles.get(seq).anchor(), cycles.get(seq).zone().getId()))
                    .toList();
        }
    }

    /** A user row beside one cycle of its schedule (none only for a user without cycles). */
    record ScheduledRow(UserRow user, Optional<CycleRow> cycle) {
        static ScheduledRow map(ResultSet rs) throws SQLException {
            boolean none = rs.getString("kind") == null;
            return new ScheduledRow(UserRow.map(rs), none ? Optional.empty() : Optional.of(CycleRow.map(rs)));
        }
    }

    /**
     * A user row beside one cycle of its schedule (numbered {@code seq}) and its plan beside one
     * of the plan's limits; {@code plan} is empty when the user's plan does not exist.
     */
    record SubscribedRow(ScheduledRow scheduled, int seq, Optional<PlanDao.LimitedRow> plan) {
        static SubscribedRow map(ResultSet rs) throws SQLException {
            ScheduledRow scheduled = ScheduledRow.map(rs);
            int seq = rs.getInt("seq");
            if (rs.getString("name") == null) {
                return new SubscribedRow(scheduled, seq, Optional.empty());
            }
            // The plan's id is the user's plan_id: the query selects no second id column.
            PlanDao.PlanRow plan = PlanDao.PlanRow.map(rs, rs.getString("plan_id"));
            Optional<PlanDao.LimitRow> limit = rs.getString("metric") == null ? Optional.empty()
                    : Optional.of(PlanDao.LimitRow.map(rs));
            return new SubscribedRow(scheduled, seq, Optional.of(new PlanDao.LimitedRow(plan, limit)));
        }
    }

    /**
     * What a decision reads, in one round trip and in plain JDBC ({@link Jdbc}): the user with its
     * cycles and its plan with its limits, one row per (cycle, limit) pair, in schedule order.
     */
    String FIND_WITH_PLAN = "SELECT u.id, u.plan_id, u.created_at, c.seq, c.kind, c.anchor_at, c.time_zone, p.name, "
            + "p.max_file_size_mb, p.warning_threshold_percent, p.alert_thresholds_percent, p.low_balance_credits, "
            + "p.max_metrics, p.metric_display_names, p.features, p.credits_per_period, p.rate_limits, "
            + "p.credit_prices, l.metric, l.max_quantity, l.allocation FROM users u "
            + "LEFT JOIN user_billing_cycles c ON c.user_id = u.id LEFT JOIN plans p ON p.id = u.plan_id "
            + "LEFT JOIN plan_limits l ON l.plan_id = p.id WHERE u.id = ? ORDER BY c.seq";

    @SqlUpdate("UPDATE users SET plan_id = :planId, created_at = :createdAt WHERE id = :id")
    int update(String id, String planId, Instant createdAt);

    @SqlUpdate("INSERT INTO users (id, plan_id, created_at) VALUES (:id, :planId, :createdAt) ON CONFLICT DO NOTHING")
    int insert(String id, String planId, Instant createdAt);

    @SqlUpdate("DELETE FROM user_billing_cycles WHERE user_id = :id")
    void deleteCycles(String id);

    @SqlBatch("INSERT INTO user_billing_cycles (user_id, seq, kind, anchor_at, time_zone) "
            + "VALUES (:id, :seq, :kind, :anchor, :zone)")
    void insertCycles(String id, @BindMethods List<NumberedCycle> cycles);

    /** The user with its cycles in schedule order, one row per cycle: read in one round trip. */
    @SqlQuery("SELECT u.id, u.plan_id, u.created_at, c.kind, c.anchor_at, c.time_zone FROM users u "
            + "LEFT JOIN user_billing_cycles c ON c.user_id = u.id WHERE u.id = :id ORDER BY c.seq")
    List<ScheduledRow> find(String id);

    /** Every user with its cycles, one row per cycle, each user's rows together in schedule order. */
    @SqlQuery("SELECT u.id, u.plan_id, u.created_at, c.kind, c.anchor_at, c.time_zone FROM users u "
            + "LEFT JOIN user_billing_cycles c ON c.user_id = u.id ORDER BY u.id, c.seq")
    List<ScheduledRow> all();

}
