package dev.tally.adapter.jdbc;

import dev.tally.application.port.ApiKey;
import dev.tally.domain.activation.ActivationCode;
import dev.tally.domain.cost.ApiCall;
import dev.tally.domain.cost.ProviderCost;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.run.ModelPrice;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCounts;
import dev.tally.domain.session.Session;
import java.sql.Types;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * What every repository needs of its {@link Jdbi}: SqlObject, instants bound as epoch
 * nanoseconds (the schema's one representation of time) and the row mappers of the DAOs.
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
        jdbi.registerRowMapper(UsageDao.RollupRow.class, (rs, ctx) -> UsageDao.RollupRow.map(rs));
        jdbi.registerRowMapper(UsageDao.ReservationRow.class, (rs, ctx) -> UsageDao.ReservationRow.map(rs));
        jdbi.registerRowMapper(UsageDao.Filing.class, (rs, ctx) -> UsageDao.Filing.map(rs));
        jdbi.registerRowMapper(UsageDao.Comparison.class, (rs, ctx) -> UsageDao.Comparison.map(rs));
        jdbi.registerRowMapper(IdempotencyDao.KeyRow.class, (rs, ctx) -> IdempotencyDao.KeyRow.map(rs));
        jdbi.registerRowMapper(CreditTransaction.class, (rs, ctx) -> CreditDao.map(rs));
        jdbi.registerRowMapper(OperationUsage.class, (rs, ctx) -> CreditDao.mapUsage(rs));
        jdbi.registerRowMapper(ReportRun.class, (rs, ctx) -> ReportRunDao.map(rs));
        jdbi.registerRowMapper(RunCounts.class, (rs, ctx) -> ReportRunDao.mapCounts(rs));
        jdbi.registerRowMapper(Session.class, (rs, ctx) -> SessionDao.map(rs));
        jdbi.registerRowMapper(ActivationCode.class, (rs, ctx) -> ActivationCodeDao.map(rs));
        jdbi.registerRowMapper(ApiCall.class, (rs, ctx) -> ApiCallDao.map(rs));
        jdbi.registerRowMapper(ProviderCost.class, (rs, ctx) -> ApiCallDao.mapCost(rs));
        jdbi.registerRowMapper(ApiKey.class, (rs, ctx) -> ApiKeyDao.map(rs));
        jdbi.registerRowMapper(PlanDao.PlanRow.class, (rs, ctx) -> PlanDao.PlanRow.map(rs));
        jdbi.registerRowMapper(PlanDao.LimitRow.class, (rs, ctx) -> PlanDao.LimitRow.map(rs));
        jdbi.registerRowMapper(PlanDao.LimitedRow.class, (rs, ctx) -> PlanDao.LimitedRow.map(rs));
        jdbi.registerRowMapper(UserDao.UserRow.class, (rs, ctx) -> UserDao.UserRow.map(rs));
        jdbi.registerRowMapper(UserDao.ScheduledRow.class, (rs, ctx) -> UserDao.ScheduledRow.map(rs));
        jdbi.registerRowMapper(ModelPrice.class, (rs, ctx) -> ModelPriceDao.map(rs));
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
