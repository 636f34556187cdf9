package dev.tally.adapter.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Where one fact or hold is filed (by row id), read to refile it after a schedule change. */
record Filing(String id, Instant at, Instant periodStart, Instant periodEnd) {

    static Filing map(ResultSet rs) throws SQLException {
        return new Filing(rs.getString("id"), Instants.get(rs, "at"), Instants.get(rs, "period_start"),
                Instants.get(rs, "period_end"));
    }

    /** A fact or hold (by id) moved to another period. */
    public record Moved(String id, Instant periodStart, Instant periodEnd) {
    }
}
