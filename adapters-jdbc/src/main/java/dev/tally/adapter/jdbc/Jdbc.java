package dev.tally.adapter.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Plain JDBC on a handle's connection, in its transaction, for the few statements that every
 * decision runs (the key, the user and plan, the fact, the rollup). A SqlObject call costs tens of
 * microseconds of JDBI machinery beyond the statement (attaching a DAO prepares each of its
 * methods; each call resolves binders and mappers through the configuration), which on the hot
 * path was a quarter of the server's CPU; a prepared statement costs the driver's work only, and
 * the drivers cache what they prepare per connection by its SQL (PostgreSQL's server-side
 * statements, H2's parsed commands).
 *
 * <p>Parameters bind as the schema stores them: {@link Instant}s as epoch nanoseconds
 * ({@link Instants}), numbers, strings. A failure is thrown as {@link Failure}, with the
 * {@link SQLException} as its cause, so that {@link Db} tells a conflict or a lost connection as
 * it does for JDBI's exceptions.
 */
final class Jdbc {

    private Jdbc() {
    }

    /** Reads from a result set: the row it is on, or (for {@code query}) the whole set. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A statement that failed, with the driver's {@link SQLException} as its cause. */
    static final class Failure extends RuntimeException {
        Failure(String sql, SQLException cause) {
            super(cause.getMessage() + " [statement: " + sql + "]", cause);
        }
    }

    /** Runs an {@code INSERT}, {@code UPDATE} or {@code DELETE}; the rows it changed. */
    static int update(Handle handle, String sql, Object... parameters) {
        try (PreparedStatement statement = connection(handle).prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new Failure(sql, e);
        }
    }

    /**
     * Runs an {@code UPDATE} and reads {@code column} of the row it changed, in the same statement
     * (PostgreSQL appends {@code RETURNING}; H2 answers with the changed row as generated keys);
     * empty when no row changed.
     */
    static Optional<BigDecimal> updateReturning(Handle handle, String sql, String column, Object... parameters) {
        try (PreparedStatement statement = connection(handle).prepareStatement(sql, new String[] {column})) {
            bind(statement, parameters);
            if (statement.executeUpdate() == 0) {
                return Optional.empty();
            }
            try (ResultSet keys = statement.getGeneratedKeys()) {
                return keys.next() ? Optional.of(Decimals.quantity(keys, column)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new Failure(sql, e);
        }
    }

    /** Runs one statement once per row of {@code rows}, as one JDBC batch; the count of each. */
    static int[] batch(Handle handle, String sql, List<Object[]> rows) {
        try (PreparedStatement statement = connection(handle).prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(statement, row);
                statement.addBatch();
            }
            return statement.executeBatch();
        } catch (SQLException e) {
            throw new Failure(sql, e);
        }
    }

    /** The first row of a query, if any. */
    static <T> Optional<T> first(Handle handle, String sql, Row<T> row, Object... parameters) {
        return query(handle, sql, parameters, rs -> rs.next() ? Optional.of(row.read(rs)) : Optional.empty());
    }

    /** Every row of a query. */
    static <T> List<T> list(Handle handle, String sql, Row<T> row, Object... parameters) {
        return query(handle, sql, parameters, rs -> {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.read(rs));
            }
            return rows;
        });
    }

    /** Runs a query and reads its result set with {@code result}. */
    private static <R> R query(Handle handle, String sql, Object[] parameters, Row<R> result) {
        try (PreparedStatement statement = connection(handle).prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                return result.read(rs);
            }
        } catch (SQLException e) {
            throw new Failure(sql, e);
        }
    }

    private static Connection connection(Handle handle) {
        return handle.getConnection();
    }

    private static void bind(PreparedStatement statement, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            int position = i + 1;
            if (value == null) {
                statement.setNull(position, java.sql.Types.VARCHAR);
            } else if (value instanceof String text) {
                statement.setString(position, text);
            } else if (value instanceof Instant instant) {
                statement.setLong(position, Instants.toNanos(instant));
            } else if (value instanceof BigDecimal number) {
                statement.setBigDecimal(position, number);
            } else if (value instanceof Long number) {
                statement.setLong(position, number);
            } else {
                throw new IllegalArgumentException("no binding for parameter " + position + ": " + value);
            }
        }
    }
}
