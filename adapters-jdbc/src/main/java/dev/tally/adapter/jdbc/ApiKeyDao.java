package dev.tally.adapter.jdbc;

import dev.tally.application.access.ApiKey;
import dev.tally.domain.user.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** API keys' SQL. */
interface ApiKeyDao {

    static ApiKey map(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("key_hash"), Optional.ofNullable(rs.getString("user_id")).map(UserId::new),
                Instants.get(rs, "created_at"));
    }

    @SqlUpdate("UPDATE api_keys SET user_id = :user, created_at = :createdAt WHERE key_hash = :hash")
    int update(String hash, String user, Instant createdAt);

    @SqlUpdate("INSERT INTO api_keys (key_hash, user_id, created_at) VALUES (:hash, :user, :createdAt) "
            + "ON CONFLICT DO NOTHING")
    int insert(String hash, String user, Instant createdAt);

    @SqlQuery("SELECT key_hash, user_id, created_at FROM api_keys WHERE key_hash = :hash")
    Optional<ApiKey> find(String hash);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM api_keys WHERE user_id IS NULL)")
    boolean anyAdmin();
}
