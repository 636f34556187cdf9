package dev.tally.adapter.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Instants as the schema stores them: nanoseconds since the epoch in a BIGINT. */
final class Instants {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Instants() {
    }

    /**
     * The column value of {@code instant}; one beyond 1677-2262 becomes the nearest end of the
     * range. That is exact as a query bound (a period ending in 9999 contains everything stored
     * after its start), and nothing stored lies beyond: every stored instant is either near the
     * clock or an anchor, which the domain keeps within the range.
     */
    static long toNanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static Instant fromNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }

    static Instant get(ResultSet rs, String column) throws SQLException {
        return fromNanos(rs.getLong(column));
    }

    static Optional<Instant> optional(ResultSet rs, String column) throws SQLException {
        long nanos = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(fromNanos(nanos));
    }
}
