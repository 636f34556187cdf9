package dev.tally.adapter.jdbc;

import dev.tally.domain.cost.ApiCall;
import dev.tally.domain.cost.ProviderCost;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** API calls' SQL. */
@RegisterRowMapperFactory(ApiCallDao.Rows.class)
interface ApiCallDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(ApiCall.class, ApiCallDao::map);
            map(ProviderCost.class, ApiCallDao::mapCost);
        }
    }

    static ApiCall map(ResultSet rs) throws SQLException {
        int status = rs.getInt("status_code");
        OptionalInt statusCode = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(status);
        long latency = rs.getLong("latency_ms");
        OptionalLong latencyMs = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(latency);
        return new ApiCall(rs.getString("id"), new UserId(rs.getString("user_id")), rs.getString("call_type"),
                rs.getString("provider"), Optional.ofNullable(rs.getString("model")), Decimals.usd(rs, "cost_usd"),
                statusCode, latencyMs, Instants.get(rs, "occurred_at"));
    }

    static ProviderCost mapCost(ResultSet rs) throws SQLException {
        return new ProviderCost(rs.getString("provider"), Decimals.usd(rs, "cost_usd"), rs.getLong("calls"));
    }

    @SqlUpdate("INSERT INTO api_calls (id, user_id, call_type, provider, model, cost_usd, status_code, latency_ms, "
            + "occurred_at) VALUES (:id, :user, :callType, :provider, :model, :costUsd, :statusCode, :latencyMs, "
            + ":occurredAt)")
    void insert(String id, String user, String callType, String provider, String model, BigDecimal costUsd,
                Integer statusCode, Long latencyMs, Instant occurredAt);

    @SqlQuery("SELECT id, user_id, call_type, provider, model, cost_usd, status_code, latency_ms, occurred_at "
            + "FROM api_calls WHERE id = :id AND user_id = :user")
    Optional<ApiCall> find(String user, String id);

    @SqlQuery("SELECT provider, SUM(cost_usd) AS cost_usd, COUNT(*) AS calls FROM api_calls "
            + "WHERE user_id = :user AND occurred_at >= :start AND occurred_at < :end "
            + "GROUP BY provider ORDER BY provider")
    List<ProviderCost> costsByProvider(String user, Instant start, Instant end);
}
