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

    static long toNanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("instant outside 1677-2262 cannot be stored: " + instant, e);
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
