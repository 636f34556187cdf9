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
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The SQL of holds that expire and commits of part of a hold (R71), beside the reservation rows
 * {@link UsageDao} creates. A stored state is {@code held}, {@code released}, {@code consumed}
 * (committed) or {@code expired}; a held row whose {@code expires_at} has come no longer counts.
 */
@RegisterRowMapperFactory(ReservationDao.Rows.class)
interface ReservationDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(Reservation.class, Rows::reservation);
            map(Due.class, Due::map);
            map(Expired.class, Expired::map);
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
}
