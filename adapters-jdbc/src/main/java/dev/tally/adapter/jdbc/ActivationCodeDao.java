package dev.tally.adapter.jdbc;

import dev.tally.domain.activation.ActivationCode;
import dev.tally.domain.user.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Activation codes' SQL. */
@org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory(ActivationCodeDao.Rows.class)
interface ActivationCodeDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(ActivationCode.class, ActivationCodeDao::map);
        }
    }

    static ActivationCode map(ResultSet rs) throws SQLException {
        return new ActivationCode(rs.getString("code"), new UserId(rs.getString("user_id")), rs.getInt("max_uses"),
                rs.getInt("use_count"), Instants.get(rs, "created_at"));
    }

    @SqlUpdate("INSERT INTO activation_codes (code, user_id, max_uses, use_count, created_at) "
            + "VALUES (:code, :user, :maxUses, :useCount, :createdAt)")
    void insert(String code, String user, int maxUses, int useCount, Instant createdAt);

    @SqlQuery("SELECT code, user_id, max_uses, use_count, created_at FROM activation_codes WHERE code = :code")
    Optional<ActivationCode> find(String code);

    /** Stores a code's use count while it is still the expected one; 0 rows means a lost race or unknown. */
    @SqlUpdate("UPDATE activation_codes SET use_count = :useCount "
            + "WHERE code = :code AND user_id = :user AND use_count = :expected")
    int replace(String code, String user, int useCount, int expected);
}
