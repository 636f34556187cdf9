package dev.tally.adapter.jdbc;

import dev.tally.application.port.BatchPlan.Rollup;
import dev.tally.domain.plan.Admission;
import dev.tally.domain.usage.UsageTotals;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Every statement on {@code usage_rollups}, in the handle's transaction. The writes of every
 * decision and the reads of every usage page and check run in plain JDBC ({@link Jdbc}): a raise is
 * one statement, conditional on the ceiling of its {@link Admission} where a limit applies (R13),
 * and so is the move of an ending hold.
 * The rollups of current periods (R53) and the rebuilds and comparisons of
 * reconcile and refile run through {@link Sql}.
 */
final class RollupTable {

    private static final String ENSURE = "INSERT INTO usage_rollups "
            + "(user_id, period_start, period_end, metric, used, reserved) VALUES (?, ?, ?, ?, 0, 0) "
            + "ON CONFLICT DO NOTHING";
    private static final String KEY = " WHERE user_id = ? AND period_start = ? AND period_end = ? AND metric = ?";
    /** The condition of an {@link Admission}: what is held stays within its ceiling. */
    private static final String WITHIN = " AND used + reserved <= ?";
    private static final String ADD_USED = "UPDATE usage_rollups SET used = used + ?" + KEY;
    private static final String ADD_RESERVED = "UPDATE usage_rollups SET reserved = reserved + ?" + KEY;
    private static final String DELETE = "DELETE FROM usage_rollups" + KEY;
    private static final String MOVE_RESERVED =
            "UPDATE usage_rollups SET used = used + ?, reserved = reserved - ?" + KEY;
    /** A user's rollups of one period (user, start, end), read on every usage page. */
    private static final String OF_PERIOD = "SELECT metric, used, reserved FROM usage_rollups "
            + "WHERE user_id = ? AND period_start = ? AND period_end = ?";
    /** One rollup (user, start, end, metric), read by every entitlement check and refusal. */
    private static final String ONE = OF_PERIOD + " AND metric = ?";

    /** One rollup row. */
    record Row(String metric, BigDecimal used, BigDecimal reserved) {
        static Row map(ResultSet rs) throws SQLException {
            return new Row(rs.getString("metric"), Decimals.quantity(rs, "used"), Decimals.quantity(rs, "reserved"));
        }

        UsageTotals totals() {
            return new UsageTotals(used, reserved);
        }
    }

    /** One rollup with its user and period. */
    record CurrentRow(String user, String metric, Instant periodStart, Instant periodEnd, BigDecimal used,
                      BigDecimal reserved) {
        static CurrentRow map(ResultSet rs) throws SQLException {
            return new CurrentRow(rs.getString("user_id"), rs.getString("metric"), Instants.get(rs, "period_start"),
                    Instants.get(rs, "period_end"), Decimals.quantity(rs, "used"), Decimals.quantity(rs, "reserved"));
        }
    }

    /** A rollup beside what its facts and open holds say it should hold. */
    record Comparison(String metric, Instant periodStart, Instant periodEnd, boolean stored, BigDecimal storedUsed,
                      BigDecimal storedReserved, BigDecimal factUsed, BigDecimal openReserved) {
        static Comparison map(ResultSet rs) throws SQLException {
            rs.getBigDecimal("stored_used");
            boolean stored = !rs.wasNull();
            return new Comparison(rs.getString("metric"), Instants.get(rs, "period_start"),
                    Instants.get(rs, "period_end"), stored, Decimals.quantity(rs, "stored_used"),
                    Decimals.quantity(rs, "stored_reserved"), Decimals.quantity(rs, "fact_used"),
                    Decimals.quantity(rs, "open_reserved"));
        }

        boolean drifted() {
            return !stored || storedUsed.compareTo(factUsed) != 0 || storedReserved.compareTo(openReserved) != 0;
        }
    }

    private final Handle handle;

    RollupTable(Handle handle) {
        this.handle = handle;
    }

    /**
     * Creates the rollup row when it is missing, waiting for a concurrent creator to commit; true
     * when this call created it, which must then be counted ({@link PeriodMetricTable#add}).
     */
    boolean ensure(String user, Instant start, Instant end, String metric) {
        return Jdbc.update(handle, ENSURE, user, start, end, metric) == 1;
    }

    /** Deletes a rollup row this transaction created, taking back a refused write. */
    void delete(String user, Instant start, Instant end, String metric) {
        Jdbc.update(handle, DELETE, user, start, end, metric);
    }

    /** Used and reserved of a rollup row, locked until the transaction ends; zero when there is no row. */
    UsageTotals locked(String user, Instant start, Instant end, String metric) {
        return Jdbc.first(handle, ONE + " FOR UPDATE", Row::map, user, start, end, metric).map(Row::totals)
                .orElse(UsageTotals.ZERO);
    }

    /** A user's rollups of one period, as last committed or written here. */
    List<Row> ofPeriod(String user, Instant start, Instant end) {
        return Jdbc.list(handle, OF_PERIOD, Row::map, user, start, end);
    }

    /** One rollup, as last committed or written here. */
    Optional<Row> find(String user, Instant start, Instant end, String metric) {
        return Jdbc.first(handle, ONE, Row::map, user, start, end, metric);
    }

    /** Takes {@code quantity} back out of a rollup's used, undoing a raise this transaction made. */
    /** Lowers a rollup's used by {@code quantity} and reads what it holds now, in one statement (R92). */
    Optional<BigDecimal> lowerUsedReporting(String user, Rollup rollup, BigDecimal quantity) {
        return Jdbc.updateReturning(handle, ADD_USED, "used", quantity.negate(), user, rollup.period().start(),
                rollup.period().end(), rollup.metric().value());
    }

    void lowerUsed(String user, Rollup rollup, BigDecimal quantity) {
        Jdbc.update(handle, ADD_USED, quantity.negate(), user, rollup.period().start(), rollup.period().end(),
                rollup.metric().value());
    }

    /**
     * The write of check-and-record (R13): adds the admission's request to a rollup's used, by one
     * statement conditional on the admission's ceiling when it has one. False when there is no row,
     * or no room.
     */
    boolean addUsed(String user, Rollup rollup, Admission admission) {
        return Jdbc.update(handle, ADD_USED + within(admission), bind(user, rollup, admission)) == 1;
    }

    /** {@link #addUsed}, returning the rollup's new used (R75); empty when there is no row or no room. */
    Optional<BigDecimal> addUsedReporting(String user, Rollup rollup, Admission admission) {
        return Jdbc.updateReturning(handle, ADD_USED + within(admission), "used", bind(user, rollup, admission));
    }

    /** {@link #addUsed} for a hold: adds the admission's request to the rollup's reserved. */
    boolean addReserved(String user, Rollup rollup, Admission admission) {
        return Jdbc.update(handle, ADD_RESERVED + within(admission), bind(user, rollup, admission)) == 1;
    }

    /** Moves {@code released} out of a rollup's reserved and {@code used} into its used: a hold ending. */
    void moveReserved(String user, Instant start, Instant end, String metric, BigDecimal released, BigDecimal used) {
        Jdbc.update(handle, MOVE_RESERVED, used, released, user, start, end, metric);
    }

    /** Every rollup, of every user, whose period contains {@code at}, with usage or a hold (R53). */
    List<CurrentRow> currentAt(Instant at) {
        return sql().currentAt(at);
    }

    /** The statements of reconcile and refile, which rebuild and compare rollups. */
    Sql sql() {
        return Db.attach(handle, Sql.class);
    }

    private static String within(Admission admission) {
        return admission.isUnlimited() ? "" : WITHIN;
    }

    /** The parameters of a raise: the quantity, the rollup, and the admission's ceiling when it has one. */
    private static Object[] bind(String user, Rollup rollup, Admission admission) {
        Object[] key = {admission.requested(), user, rollup.period().start(), rollup.period().end(),
                rollup.metric().value()};
        return admission.ceiling().map(ceiling -> {
            Object[] within = Arrays.copyOf(key, key.length + 1);
            within[key.length] = ceiling;
            return within;
        }).orElse(key);
    }

    /** The statements Jdbi binds by name; attached only when one of them runs. */
    @RegisterRowMapperFactory(Sql.Rows.class)
    interface Sql {

        /** A fact that counts: one without a void (R92). */
        String NOT_VOIDED = FactTable.NOT_VOIDED;

        /** How these rows are read. */
        final class Rows extends RowMappings {
            public Rows() {
                map(Row.class, Row::map);
                map(CurrentRow.class, CurrentRow::map);
                map(Comparison.class, Comparison::map);
            }
        }

        /** From index usage_rollups_current. */
        @SqlQuery("SELECT user_id, metric, period_start, period_end, used, reserved FROM usage_rollups "
                + "WHERE period_end > :at AND period_start <= :at AND (used <> 0 OR reserved <> 0)")
        List<CurrentRow> currentAt(Instant at);

        @SqlUpdate("UPDATE usage_rollups SET used = :used, reserved = :reserved "
                + "WHERE user_id = :user AND period_start = :start AND period_end = :end AND metric = :metric")
        int overwrite(String user, Instant start, Instant end, String metric, BigDecimal used, BigDecimal reserved);

        @SqlUpdate("DELETE FROM usage_rollups WHERE user_id = :user")
        void deleteAll(String user);

        /** Rebuilds a user's rollups from its facts and held reservations. */
        @SqlUpdate("INSERT INTO usage_rollups (user_id, period_start, period_end, metric, used, reserved) "
                + "SELECT :user, period_start, period_end, metric, SUM(used), SUM(reserved) FROM ("
                + "  SELECT period_start, period_end, metric, quantity AS used, 0 AS reserved "
                + "  FROM usage_facts WHERE user_id = :user AND " + NOT_VOIDED
                + "  UNION ALL "
                + "  SELECT period_start, period_end, metric, 0 AS used, quantity AS reserved "
                + "  FROM usage_reservations WHERE user_id = :user AND state = 'held'"
                + ") filed GROUP BY period_start, period_end, metric")
        void rebuild(String user);

        /** Every user with a rollup, a fact or a held reservation, for a reconcile. */
        @SqlQuery("SELECT user_id FROM usage_rollups UNION SELECT user_id FROM usage_facts "
                + "UNION SELECT user_id FROM usage_reservations WHERE state = 'held' ORDER BY 1")
        List<String> ledgerUsers();

        @SqlQuery("SELECT metric FROM usage_rollups WHERE user_id = :user FOR UPDATE")
        List<String> lockAll(String user);

        @SqlQuery("SELECT metric FROM usage_rollups "
                + "WHERE user_id = :user AND period_start = :start AND period_end = :end AND metric = :metric "
                + "FOR UPDATE")
        Optional<String> lock(String user, Instant start, Instant end, String metric);

        /** What one rollup should hold: the sum of its facts and of its open reservations. */
        @SqlQuery("SELECT CAST(:metric AS VARCHAR(63)) AS metric, "
                + "(SELECT COALESCE(SUM(quantity), 0) FROM usage_facts WHERE user_id = :user "
                + "   AND period_start = :start AND period_end = :end AND metric = :metric AND " + NOT_VOIDED
                + ") AS used, "
                + "(SELECT COALESCE(SUM(quantity), 0) FROM usage_reservations WHERE user_id = :user "
                + "   AND period_start = :start AND period_end = :end AND metric = :metric AND state = 'held') "
                + "AS reserved")
        Row recount(String user, Instant start, Instant end, String metric);

        /** Each of a user's rollups beside its facts and open reservations, read in one statement. */
        @SqlQuery("SELECT k.metric, k.period_start, k.period_end, r.used AS stored_used, "
                + "       r.reserved AS stored_reserved, f.used AS fact_used, h.reserved AS open_reserved "
                + "FROM (SELECT metric, period_start, period_end FROM usage_rollups WHERE user_id = :user "
                + "      UNION SELECT metric, period_start, period_end FROM usage_facts WHERE user_id = :user "
                + "            AND " + NOT_VOIDED
                + "      UNION SELECT metric, period_start, period_end FROM usage_reservations "
                + "            WHERE user_id = :user AND state = 'held') k "
                + "LEFT JOIN usage_rollups r ON r.user_id = :user AND r.period_start = k.period_start "
                + "       AND r.period_end = k.period_end AND r.metric = k.metric "
                + "LEFT JOIN (SELECT metric, period_start, period_end, SUM(quantity) AS used FROM usage_facts "
                + "           WHERE user_id = :user AND " + NOT_VOIDED + " GROUP BY metric, period_start, period_end) f "
                + "       ON f.metric = k.metric AND f.period_start = k.period_start AND f.period_end = k.period_end "
                + "LEFT JOIN (SELECT metric, period_start, period_end, SUM(quantity) AS reserved "
                + "           FROM usage_reservations WHERE user_id = :user AND state = 'held' "
                + "           GROUP BY metric, period_start, period_end) h "
                + "       ON h.metric = k.metric AND h.period_start = k.period_start AND h.period_end = k.period_end "
                + "WHERE k.metric NOT IN (SELECT meter_key FROM meters) "
                + "ORDER BY k.period_start, k.metric")
        List<Comparison> compare(String user);
    }
}
