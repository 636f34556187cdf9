package dev.tally.adapter.jdbc;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The rate cells of R90: one row per (user, metric). */
@RegisterRowMapperFactory(RateCellDao.Rows.class)
interface RateCellDao {

    final class Rows extends RowMappings {
        public Rows() {
            map(Cell.class, Cell::map);
        }
    }

    /** A stored cell: its TAT in ticks of {@code 1 / tatLimit} ns. */
    record Cell(BigDecimal tat, long tatLimit) {
        static Cell map(ResultSet rs) throws SQLException {
            return new Cell(rs.getBigDecimal("tat"), rs.getLong("tat_limit"));
        }
    }

    /** The stored TAT in ticks of {@code :limit}: as stored, or rescaled from the limit it was stored for, rounded up. */
    String TAT = "(CASE WHEN tat_limit = :limit THEN tat ELSE CEIL(tat * :limit / tat_limit) END)";

    /**
     * The decision in one conditional statement (R90): the TAT moves to {@code max(TAT, now) + cost}
     * only where that is at most {@code now + tolerance}; returns the new TAT ({@code RETURNING} on
     * PostgreSQL, the changed row as generated keys on H2), empty when refused or no row yet.
     */
    @SqlUpdate("UPDATE rate_cells SET tat = GREATEST(" + TAT + ", :now) + :cost, tat_limit = :limit "
            + "WHERE user_id = :user AND metric = :metric AND GREATEST(" + TAT + ", :now) + :cost <= :latest")
    @GetGeneratedKeys("tat")
    Optional<BigDecimal> take(String user, String metric, long limit, BigDecimal now, BigDecimal cost,
                              BigDecimal latest);

    /** Creates the cell of a (user, metric) never rated before: a TAT of 0 is a full bucket. */
    @SqlUpdate("INSERT INTO rate_cells (user_id, metric, tat, tat_limit) VALUES (:user, :metric, 0, :limit) "
            + "ON CONFLICT DO NOTHING")
    int create(String user, String metric, long limit);

    /** Undoes a take of {@code cost} ticks made in this transaction, whose row lock it still holds. */
    @SqlUpdate("UPDATE rate_cells SET tat = " + TAT + " - :cost, tat_limit = :limit "
            + "WHERE user_id = :user AND metric = :metric")
    int giveBack(String user, String metric, long limit, BigDecimal cost);

    @SqlQuery("SELECT tat, tat_limit FROM rate_cells WHERE user_id = :user AND metric = :metric")
    Optional<Cell> find(String user, String metric);

    /**
     * The cell, locked until the transaction ends: a refusal holds the lock an admission would have,
     * so every transaction takes a user's locks in the same order whatever the decision (a refused
     * conditional UPDATE locks nothing on PostgreSQL).
     */
    @SqlQuery("SELECT tat, tat_limit FROM rate_cells WHERE user_id = :user AND metric = :metric FOR UPDATE")
    Optional<Cell> lock(String user, String metric);
}
