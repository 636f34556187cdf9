package dev.tally.adapter.jdbc;

import java.lang.reflect.Type;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMapperFactory;

/**
 * The row mappers one DAO declares beside its SQL, registered on the DAO with
 * {@code @RegisterRowMapperFactory(SomeDao.Rows.class)}, where {@code Rows} extends this class
 * and names in its constructor how each type is read from a row.
 */
abstract class RowMappings implements RowMapperFactory {

    /** Reads one value from the current row. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final Map<Type, RowMapper<?>> mappers = new HashMap<>();

    /** Reads {@code type} with {@code reader}. */
    protected final <T> void map(Class<T> type, Reader<T> reader) {
        mappers.put(type, (rs, ctx) -> reader.read(rs));
    }

    @Override
    public final Optional<RowMapper<?>> build(Type type, ConfigRegistry config) {
        return Optional.ofNullable(mappers.get(type));
    }
}
