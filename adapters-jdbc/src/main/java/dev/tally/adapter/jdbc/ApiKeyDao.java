package dev.tally.adapter.jdbc;

import dev.tally.application.port.ApiKey;
import dev.tally.domain.user.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** API keys' SQL. */
@RegisterRowMapperFactory(ApiKeyDao.Rows.class)
interface ApiKeyDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(ApiKey.class, ApiKeyDao::map);
        }
    }

    String COLUMNS = "id, key_hash, user_id, prefix, created_at, last_used_at, revoked_at";

    static ApiKey map(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("key_hash"),
                Optional.ofNullable(rs.getString("user_id")).map(UserId::new), Optional.ofNullable(rs.getString("prefix")),
                Instants.get(rs, "created_at"), Instants.optional(rs, "last_used_at"), Instants.optional(rs, "revoked_at"));
    }

    /** The read of every request, run in plain JDBC ({@link Jdbc}): the key by its hash. */
    String FIND_BY_HASH = "SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?";

    @SqlUpdate("INSERT INTO api_keys (id, key_hash, user_id, prefix, created_at) "
            + "VALUES (:id, :hash, :user, :prefix, :createdAt) ON CONFLICT DO NOTHING")
    int insert(String id, String hash, String user, String prefix, Instant createdAt);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id")
    Optional<ApiKey> findById(String id);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE user_id = :user ORDER BY created_at, id")
    List<ApiKey> ofUser(String user);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id")
    List<ApiKey> all();

    /** Keeps the first revocation: a key already revoked is not changed. */
    @SqlUpdate("UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
    int revoke(String id, Instant at);

    /** Writes only when the last use known is older than {@code staleBefore}, so most uses write nothing. */
    @SqlUpdate("UPDATE api_keys SET last_used_at = :at "
            + "WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :staleBefore)")
    int touch(String id, Instant at, Instant staleBefore);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM api_keys WHERE user_id IS NULL AND revoked_at IS NULL)")
    boolean anyAdmin();
}
