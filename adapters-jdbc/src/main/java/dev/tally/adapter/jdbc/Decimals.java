package dev.tally.adapter.jdbc;

import dev.tally.domain.Money;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Decimals read back in the form the domain builds them: NUMERIC(30,6) columns come back at
 * scale 6, quantities are kept in their simplest form ({@code 5}, not {@code 5.000000}).
 */
final class Decimals {

    private Decimals() {
    }

    /** A quantity in its simplest form; zero when the column is NULL (an empty sum). */
    static BigDecimal quantity(ResultSet rs, String column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        return value == null ? BigDecimal.ZERO : plain(value);
    }

    static Optional<BigDecimal> optionalQuantity(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getBigDecimal(column)).map(Decimals::plain);
    }

    /** An amount of USD at scale 6. */
    static BigDecimal usd(ResultSet rs, String column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        return Money.usd(value == null ? BigDecimal.ZERO : value);
    }

    static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
