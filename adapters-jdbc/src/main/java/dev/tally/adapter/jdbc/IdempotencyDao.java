package dev.tally.adapter.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The idempotency keys' SQL. */
@RegisterRowMapperFactory(IdempotencyDao.Rows.class)
interface IdempotencyDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(KeyRow.class, KeyRow::map);
        }
    }

    /** A stored key. */
    record KeyRow(String fingerprint, String state, String result, Instant claimedAt) {
        static KeyRow map(ResultSet rs) throws SQLException {
            return new KeyRow(rs.getString("fingerprint"), rs.getString("state"), rs.getString("result_text"),
                    Instants.get(rs, "claimed_at"));
        }

        boolean completed() {
            return JdbiIdempotencyStore.COMPLETED.equals(state);
        }
    }

    @SqlUpdate("INSERT INTO idempotency_keys (user_id, idempotency_key, fingerprint, state, result_text, claimed_at) "
            + "VALUES (:user, :key, :fingerprint, 'in_flight', NULL, :now) ON CONFLICT DO NOTHING")
    int insertClaim(String user, String key, String fingerprint, Instant now);

    @SqlQuery("SELECT fingerprint, state, result_text, claimed_at FROM idempotency_keys "
            + "WHERE user_id = :user AND idempotency_key = :key")
    Optional<KeyRow> find(String user, String key);

    /** Takes over an expired claim, unless another request took it over or completed it first. */
    @SqlUpdate("UPDATE idempotency_keys SET claimed_at = :now "
            + "WHERE user_id = :user AND idempotency_key = :key AND state = 'in_flight' AND claimed_at = :claimedAt")
    int takeOver(String user, String key, Instant claimedAt, Instant now);

    @SqlUpdate("UPDATE idempotency_keys SET state = 'completed', result_text = :result "
            + "WHERE user_id = :user AND idempotency_key = :key AND state = 'in_flight'")
    int complete(String user, String key, String result);

    @SqlUpdate("DELETE FROM idempotency_keys WHERE user_id = :user AND idempotency_key = :key AND state = 'in_flight'")
    int release(String user, String key);
}
