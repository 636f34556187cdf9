package dev.tally.adapter.jdbc;

import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.usage.ReservationState;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Every statement on {@code usage_reservations}: holds (R26, R71) stored, ended, expired and
 * refiled. A stored state is {@code held}, {@code released}, {@code consumed} (committed) or
 * {@code expired}; a held row whose {@code expires_at} has come no longer counts. Attached by
 * {@link Db#attach}; the rollups a hold counts in are {@link RollupTable}'s.
 */
@RegisterRowMapperFactory(HoldTable.Rows.class)
interface HoldTable {

    /** A hold's amount and where it is filed. */
    record Filed(String metric, BigDecimal quantity, Instant reservedAt, Instant periodStart, Instant periodEnd) {
        static Filed map(ResultSet rs) throws SQLException {
            return new Filed(rs.getString("metric"), Decimals.quantity(rs, "quantity"),
                    Instants.get(rs, "reserved_at"), Instants.get(rs, "period_start"), Instants.get(rs, "period_end"));
        }
    }

    /** How these rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(Reservation.class, Rows::reservation);
            map(Due.class, Due::map);
            map(Expired.class, Expired::map);
            map(Filed.class, Filed::map);
            map(Filing.class, Filing::map);
        }

        private static Reservation reservation(ResultSet rs) throws SQLException {
            ReservationState state = switch (rs.getString("state")) {
                case "held" -> ReservationState.HELD;
                case "consumed" -> ReservationState.COMMITTED;
                case "expired" -> ReservationState.EXPIRED;
                default -> ReservationState.RELEASED;
            };
            BigDecimal quantity = Decimals.quantity(rs, "quantity");
            Optional<BigDecimal> committed = state == ReservationState.COMMITTED
                    ? Optional.of(Decimals.optionalQuantity(rs, "committed_quantity").orElse(quantity))
                    : Optional.empty();
            return new Reservation(rs.getString("reservation_id"), new MetricKey(rs.getString("metric")), quantity,
                    Instants.get(rs, "reserved_at"), Instants.optional(rs, "expires_at").orElse(Instant.MAX), state,
                    committed);
        }
    }

    /** A held reservation whose expiry has come. */
    record Due(String id, BigDecimal quantity) {
        static Due map(ResultSet rs) throws SQLException {
            return new Due(rs.getString("reservation_id"), Decimals.quantity(rs, "quantity"));
        }
    }

    /** What the expired holds of one metric still count in reserved. */
    record Expired(String metric, BigDecimal quantity) {
        static Expired map(ResultSet rs) throws SQLException {
            return new Expired(rs.getString("metric"), Decimals.quantity(rs, "quantity"));
        }
    }

    /** Sets when a reservation expires (NULL: never), and clears what an earlier use of its id committed. */
    @SqlUpdate("UPDATE usage_reservations SET expires_at = :expiresAt, committed_quantity = NULL "
            + "WHERE user_id = :user AND reservation_id = :id")
    void expiresAt(String user, String id, Long expiresAt);

    @SqlQuery("SELECT reservation_id, metric, quantity, reserved_at, expires_at, state, committed_quantity "
            + "FROM usage_reservations WHERE user_id = :user AND reservation_id = :id")
    Optional<Reservation> find(String user, String id);

    /** Ends a reservation still held and not expired at {@code now}; 0 rows means it was not. */
    @SqlUpdate("UPDATE usage_reservations SET state = :state, committed_quantity = :committed "
            + "WHERE user_id = :user AND reservation_id = :id AND state = 'held' "
            + "AND (expires_at IS NULL OR expires_at > :now)")
    int endLive(String user, String id, String state, BigDecimal committed, Instant now);

    @SqlQuery("SELECT reservation_id, quantity FROM usage_reservations WHERE user_id = :user AND state = 'held' "
            + "AND expires_at <= :now AND metric = :metric AND period_start = :start AND period_end = :end "
            + "ORDER BY reservation_id FOR UPDATE")
    List<Due> due(String user, String metric, Instant start, Instant end, Instant now);

    @SqlUpdate("UPDATE usage_reservations SET state = 'expired' WHERE user_id = :user AND reservation_id = :id "
            + "AND state = 'held'")
    int markExpired(String user, String id);

    @SqlQuery("SELECT metric, SUM(quantity) AS quantity FROM usage_reservations WHERE user_id = :user "
            + "AND state = 'held' AND expires_at <= :now AND period_start = :start AND period_end = :end "
            + "GROUP BY metric")
    List<Expired> expired(String user, Instant start, Instant end, Instant now);

    @SqlUpdate("INSERT INTO usage_reservations (user_id, reservation_id, metric, quantity, reserved_at, "
            + "period_start, period_end, state) VALUES (:user, :id, :metric, :quantity, :at, :start, :end, 'held') "
            + "ON CONFLICT DO NOTHING")
    int insert(String user, String id, String metric, BigDecimal quantity, Instant at, Instant start, Instant end);

    /** Holds again under an id whose earlier reservation was released or consumed. */
    @SqlUpdate("UPDATE usage_reservations SET metric = :metric, quantity = :quantity, reserved_at = :at, "
            + "period_start = :start, period_end = :end, state = 'held' "
            + "WHERE user_id = :user AND reservation_id = :id AND state <> 'held'")
    int reuse(String user, String id, String metric, BigDecimal quantity, Instant at, Instant start, Instant end);

    @SqlQuery("SELECT metric, quantity, reserved_at, period_start, period_end FROM usage_reservations "
            + "WHERE user_id = :user AND reservation_id = :id")
    Optional<Filed> filed(String user, String id);

    @SqlQuery("SELECT reservation_id AS id, reserved_at AS at, period_start, period_end FROM usage_reservations "
            + "WHERE user_id = :user AND state = 'held'")
    List<Filing> heldFilings(String user);

    @SqlBatch("UPDATE usage_reservations SET period_start = :periodStart, period_end = :periodEnd "
            + "WHERE user_id = :user AND reservation_id = :id")
    void refile(String user, @BindMethods List<Filing.Moved> holds);
}
