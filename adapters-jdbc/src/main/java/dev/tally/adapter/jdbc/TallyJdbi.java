package dev.tally.adapter.jdbc;

import java.sql.Types;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * What every repository needs of its {@link Jdbi}: SqlObject and instants bound as epoch
 * nanoseconds (the schema's one representation of time). Each DAO registers its own row mappers
 * ({@link RowMappings}).
 */
final class TallyJdbi implements JdbiPlugin {

    private static final TallyJdbi INSTANCE = new TallyJdbi();

    private TallyJdbi() {
    }

    /** Installs the plugin once; installing it again is a no-op. */
    static Jdbi prepare(Jdbi jdbi) {
        return jdbi.installPlugin(new SqlObjectPlugin()).installPlugin(INSTANCE);
    }

    @Override
    public void customizeJdbi(Jdbi jdbi) {
        jdbi.registerArgument(new InstantArgument());
        jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> {
            long nanos = rs.getLong(column);
            return rs.wasNull() ? null : Instants.fromNanos(nanos);
        });
    }

    private static final class InstantArgument extends AbstractArgumentFactory<Instant> {

        InstantArgument() {
            super(Types.BIGINT);
        }

        @Override
        protected Argument build(Instant value, ConfigRegistry config) {
            long nanos = Instants.toNanos(value);
            return (position, statement, ctx) -> statement.setLong(position, nanos);
        }
    }
}
