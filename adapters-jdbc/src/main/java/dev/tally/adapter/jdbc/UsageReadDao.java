package dev.tally.adapter.jdbc;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The usage ledger's reads: a user's rollups of a period (what usage pages, entitlement checks and
 * refusals show), a period's facts summed per slice (R52), and the rollups of every user's current
 * period (R53). Each is answered from an index that leads with what bounds it (the rollups' key,
 * migration V7), never from history. Apart from the writes, so that a read attaches a small DAO.
 */
@RegisterRowMapperFactory(UsageReadDao.Rows.class)
interface UsageReadDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(SliceRow.class, SliceRow::map);
            map(CurrentRollupRow.class, CurrentRollupRow::map);
        }
    }

    /** The sum of one slice: its number (start in nanoseconds divided by the slice) and quantity. */
    record SliceRow(long slice, BigDecimal quantity) {
        static SliceRow map(ResultSet rs) throws SQLException {
            return new SliceRow(rs.getLong("slice"), Decimals.quantity(rs, "quantity"));
        }
    }

    /** One rollup with its user and period. */
    record CurrentRollupRow(String user, String metric, Instant periodStart, Instant periodEnd, BigDecimal used,
                            BigDecimal reserved) {
        static CurrentRollupRow map(ResultSet rs) throws SQLException {
            return new CurrentRollupRow(rs.getString("user_id"), rs.getString("metric"),
                    Instants.get(rs, "period_start"), Instants.get(rs, "period_end"),
                    Decimals.quantity(rs, "used"), Decimals.quantity(rs, "reserved"));
        }
    }

    /** A user's rollups of one period (user, start, end), read on every usage page in plain JDBC ({@link Jdbc}). */
    String ROLLUPS = "SELECT metric, used, reserved FROM usage_rollups "
            + "WHERE user_id = ? AND period_start = ? AND period_end = ?";

    /** One rollup (user, start, end, metric), read by every entitlement check and refusal, in plain JDBC. */
    String ROLLUP = ROLLUPS + " AND metric = ?";

    /** Facts of one (user, metric, period) summed per slice of {@code sliceNanos}, from index usage_facts_series. */
    @SqlQuery("SELECT slice, SUM(quantity) AS quantity FROM ("
            + "  SELECT occurred_at / :sliceNanos AS slice, quantity FROM usage_facts "
            + "  WHERE user_id = :user AND metric = :metric AND period_start = :start AND period_end = :end"
            + ") f GROUP BY slice ORDER BY slice")
    List<SliceRow> slices(String user, String metric, Instant start, Instant end, long sliceNanos);

    /** Rollups whose period contains {@code at}, with usage or a reservation, from index usage_rollups_current. */
    @SqlQuery("SELECT user_id, metric, period_start, period_end, used, reserved FROM usage_rollups "
            + "WHERE period_end > :at AND period_start <= :at AND (used <> 0 OR reserved <> 0)")
    List<CurrentRollupRow> rollupsAt(Instant at);
}
