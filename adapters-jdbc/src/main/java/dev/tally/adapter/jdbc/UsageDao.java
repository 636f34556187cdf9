package dev.tally.adapter.jdbc;

import dev.tally.application.port.PeriodRecord;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The usage ledger's SQL: facts, rollups and reservations. */
@RegisterRowMapperFactory(UsageDao.Rows.class)
interface UsageDao extends SqlObject {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(RollupRow.class, RollupRow::map);
            map(ReservationRow.class, ReservationRow::map);
            map(Filing.class, Filing::map);
            map(Comparison.class, Comparison::map);
        }
    }

    /** One rollup row. */
    record RollupRow(String metric, BigDecimal used, BigDecimal reserved) {
        static RollupRow map(ResultSet rs) throws SQLException {
            return new RollupRow(rs.getString("metric"), Decimals.quantity(rs, "used"),
                    Decimals.quantity(rs, "reserved"));
        }
    }

    /** A reservation's amount and where it is filed. */
    record ReservationRow(String metric, BigDecimal quantity, Instant reservedAt, Instant periodStart,
                          Instant periodEnd) {
        static ReservationRow map(ResultSet rs) throws SQLException {
            return new ReservationRow(rs.getString("metric"), Decimals.quantity(rs, "quantity"),
                    Instants.get(rs, "reserved_at"), Instants.get(rs, "period_start"), Instants.get(rs, "period_end"));
        }
    }

    /** Where one fact or reservation is filed, to refile it. */
    record Filing(String id, Instant at, Instant periodStart, Instant periodEnd) {
        static Filing map(ResultSet rs) throws SQLException {
            return new Filing(rs.getString("id"), Instants.get(rs, "at"), Instants.get(rs, "period_start"),
                    Instants.get(rs, "period_end"));
        }
    }

    /** One fact as its row is inserted. */
    record FactRow(String user, String metric, BigDecimal quantity, Instant occurredAt, String key, String fingerprint,
                   String dimensions, Instant periodStart, Instant periodEnd) {
        static FactRow of(UserId user, PeriodRecord entry) {
            UsageRecord record = entry.record();
            return new FactRow(user.value(), record.metric().value(), record.quantity(), record.occurredAt(),
                    record.idempotencyKey().value(), entry.fingerprint(), Json.object(record.dimensions()),
                    entry.period().start(), entry.period().end());
        }
    }

    /** A fact or reservation (by id) moved to another period. */
    record Refiled(String id, Instant periodStart, Instant periodEnd) {
    }

    /** A rollup beside what its facts and open reservations say it should hold. */
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

    // --- facts ---

    @SqlQuery("SELECT CAST(id AS VARCHAR(20)) AS id, occurred_at AS at, period_start, period_end "
            + "FROM usage_facts WHERE user_id = :user")
    List<Filing> factFilings(String user);

    @SqlBatch("UPDATE usage_facts SET period_start = :periodStart, period_end = :periodEnd "
            + "WHERE id = CAST(:id AS BIGINT)")
    void refileFacts(@BindMethods List<Refiled> facts);

    // --- rollups ---

    @SqlUpdate("UPDATE usage_rollups SET used = used + :used, reserved = reserved - :released "
            + "WHERE user_id = :user AND period_start = :start AND period_end = :end AND metric = :metric")
    int moveReserved(String user, Instant start, Instant end, String metric, BigDecimal released, BigDecimal used);

    @SqlUpdate("UPDATE usage_rollups SET used = :used, reserved = :reserved "
            + "WHERE user_id = :user AND period_start = :start AND period_end = :end AND metric = :metric")
    int overwriteRollup(String user, Instant start, Instant end, String metric, BigDecimal used, BigDecimal reserved);

    @SqlUpdate("DELETE FROM usage_rollups WHERE user_id = :user")
    void deleteRollups(String user);

    /** Rebuilds a user's rollups from its facts and held reservations. */
    @SqlUpdate("INSERT INTO usage_rollups (user_id, period_start, period_end, metric, used, reserved) "
            + "SELECT :user, period_start, period_end, metric, SUM(used), SUM(reserved) FROM ("
            + "  SELECT period_start, period_end, metric, quantity AS used, 0 AS reserved "
            + "  FROM usage_facts WHERE user_id = :user "
            + "  UNION ALL "
            + "  SELECT period_start, period_end, metric, 0 AS used, quantity AS reserved "
            + "  FROM usage_reservations WHERE user_id = :user AND state = 'held'"
            + ") filed GROUP BY period_start, period_end, metric")
    void rebuildRollups(String user);

    @SqlUpdate("DELETE FROM usage_period_metrics WHERE user_id = :user")
    void deleteMetricCounts(String user);

    /** Counts a user's rollups per period again (R67), after they were rebuilt. */
    @SqlUpdate("INSERT INTO usage_period_metrics (user_id, period_start, period_end, metrics) "
            + "SELECT user_id, period_start, period_end, COUNT(*) FROM usage_rollups WHERE user_id = :user "
            + "GROUP BY user_id, period_start, period_end")
    void countMetrics(String user);

    /** Every user with a rollup, a fact or a held reservation, for a reconcile. */
    @SqlQuery("SELECT user_id FROM usage_rollups UNION SELECT user_id FROM usage_facts "
            + "UNION SELECT user_id FROM usage_reservations WHERE state = 'held' ORDER BY 1")
    List<String> ledgerUsers();

    @SqlQuery("SELECT metric FROM usage_rollups WHERE user_id = :user FOR UPDATE")
    List<String> lockRollups(String user);

    @SqlQuery("SELECT metric FROM usage_rollups "
            + "WHERE user_id = :user AND period_start = :start AND period_end = :end AND metric = :metric FOR UPDATE")
    Optional<String> lockRollup(String user, Instant start, Instant end, String metric);

    /** What one rollup should hold: the sum of its facts and of its open reservations. */
    @SqlQuery("SELECT CAST(:metric AS VARCHAR(63)) AS metric, "
            + "(SELECT COALESCE(SUM(quantity), 0) FROM usage_facts WHERE user_id = :user "
            + "   AND period_start = :start AND period_end = :end AND metric = :metric) AS used, "
            + "(SELECT COALESCE(SUM(quantity), 0) FROM usage_reservations WHERE user_id = :user "
            + "   AND period_start = :start AND period_end = :end AND metric = :metric AND state = 'held') AS reserved")
    RollupRow recount(String user, Instant start, Instant end, String metric);

    /** Each of a user's rollups beside its facts and open reservations, read in one statement. */
    @SqlQuery("SELECT k.metric, k.period_start, k.period_end, r.used AS stored_used, r.reserved AS stored_reserved, "
            + "       f.used AS fact_used, h.reserved AS open_reserved "
            + "FROM (SELECT metric, period_start, period_end FROM usage_rollups WHERE user_id = :user "
            + "      UNION SELECT metric, period_start, period_end FROM usage_facts WHERE user_id = :user "
            + "      UNION SELECT metric, period_start, period_end FROM usage_reservations "
            + "            WHERE user_id = :user AND state = 'held') k "
            + "LEFT JOIN usage_rollups r ON r.user_id = :user AND r.period_start = k.period_start "
            + "       AND r.period_end = k.period_end AND r.metric = k.metric "
            + "LEFT JOIN (SELECT metric, period_start, period_end, SUM(quantity) AS used FROM usage_facts "
            + "           WHERE user_id = :user GROUP BY metric, period_start, period_end) f "
            + "       ON f.metric = k.metric AND f.period_start = k.period_start AND f.period_end = k.period_end "
            + "LEFT JOIN (SELECT metric, period_start, period_end, SUM(quantity) AS reserved FROM usage_reservations "
            + "           WHERE user_id = :user AND state = 'held' GROUP BY metric, period_start, period_end) h "
            + "       ON h.metric = k.metric AND h.period_start = k.period_start AND h.period_end = k.period_end "
            + "ORDER BY k.period_start, k.metric")
    List<Comparison> compare(String user);

    // --- reservations ---

    @SqlUpdate("INSERT INTO usage_reservations (user_id, reservation_id, metric, quantity, reserved_at, period_start, "
            + "period_end, state) VALUES (:user, :id, :metric, :quantity, :at, :start, :end, 'held') "
            + "ON CONFLICT DO NOTHING")
    int insertReservation(String user, String id, String metric, BigDecimal quantity, Instant at, Instant start,
                          Instant end);

    /** Holds again under an id whose earlier reservation was released or consumed. */
    @SqlUpdate("UPDATE usage_reservations SET metric = :metric, quantity = :quantity, reserved_at = :at, "
            + "period_start = :start, period_end = :end, state = 'held' "
            + "WHERE user_id = :user AND reservation_id = :id AND state <> 'held'")
    int reuseReservation(String user, String id, String metric, BigDecimal quantity, Instant at, Instant start,
                         Instant end);

    @SqlQuery("SELECT metric, quantity, reserved_at, period_start, period_end FROM usage_reservations "
            + "WHERE user_id = :user AND reservation_id = :id")
    Optional<ReservationRow> reservation(String user, String id);

    @SqlQuery("SELECT reservation_id AS id, reserved_at AS at, period_start, period_end FROM usage_reservations "
            + "WHERE user_id = :user AND state = 'held'")
    List<Filing> heldFilings(String user);

    @SqlBatch("UPDATE usage_reservations SET period_start = :periodStart, period_end = :periodEnd "
            + "WHERE user_id = :user AND reservation_id = :id")
    void refileReservations(String user, @BindMethods List<Refiled> reservations);
}
