package dev.tally.adapter.jdbc;

import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.user.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The credit ledger's SQL: entries and the balance per user. */
@RegisterRowMapperFactory(CreditDao.Rows.class)
interface CreditDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(CreditTransaction.class, CreditDao::map);
            map(OperationUsage.class, CreditDao::mapUsage);
        }
    }

    String COLUMNS = "id, user_id, entry_type, amount, operation, refund_of, reason, created_at, balance_after";

    static CreditTransaction map(ResultSet rs) throws SQLException {
        return new CreditTransaction(rs.getString("id"), new UserId(rs.getString("user_id")),
                CreditType.fromWireName(rs.getString("entry_type")), rs.getLong("amount"),
                Optional.ofNullable(rs.getString("operation")), Optional.ofNullable(rs.getString("refund_of")),
                Optional.ofNullable(rs.getString("reason")), Instants.get(rs, "created_at"),
                rs.getLong("balance_after"));
    }

    static OperationUsage mapUsage(ResultSet rs) throws SQLException {
        return OperationUsage.of(rs.getString("operation"), rs.getLong("gross"), rs.getLong("refunded"));
    }

    @SqlUpdate("INSERT INTO credit_balances (user_id, balance) VALUES (:user, 0) ON CONFLICT DO NOTHING")
    void ensureBalance(String user);

    /** Moves the balance within {@code ±max}: 0 rows means it would leave that range. */
    @SqlUpdate("UPDATE credit_balances SET balance = balance + :amount WHERE user_id = :user "
            + "AND balance + :amount BETWEEN -:max AND :max")
    int move(String user, long amount, long max);

    /** The conditional write of R31: 0 rows means the balance would go below zero (or above max). */
    @SqlUpdate("UPDATE credit_balances SET balance = balance + :amount WHERE user_id = :user "
            + "AND balance + :amount BETWEEN 0 AND :max")
    int moveCovered(String user, long amount, long max);

    @SqlQuery("SELECT balance FROM credit_balances WHERE user_id = :user")
    Optional<Long> balance(String user);

    @SqlUpdate("INSERT INTO credit_transactions (" + COLUMNS + ") VALUES (:id, :user, :type, :amount, :operation, "
            + ":refundOf, :reason, :createdAt, :balanceAfter)")
    void insert(String id, String user, String type, long amount, String operation, String refundOf, String reason,
                Instant createdAt, long balanceAfter);

    @SqlQuery("SELECT " + COLUMNS + " FROM credit_transactions WHERE id = :id AND user_id = :user")
    Optional<CreditTransaction> find(String user, String id);

    @SqlQuery("SELECT refunded FROM credit_transactions WHERE id = :id")
    Optional<Long> refunded(String id);

    /** The conditional write of R32: refunds of a usage entry stay within what it spent. */
    @SqlUpdate("UPDATE credit_transactions SET refunded = refunded + :amount "
            + "WHERE id = :id AND entry_type = 'usage' AND :amount > 0 AND refunded + :amount <= -amount")
    int addRefunded(String id, long amount);

    @SqlQuery("SELECT operation, SUM(-amount) AS gross, SUM(refunded) AS refunded FROM credit_transactions "
            + "WHERE user_id = :user AND entry_type = 'usage' AND created_at >= :start AND created_at < :end "
            + "GROUP BY operation ORDER BY operation")
    List<OperationUsage> usageByOperation(String user, Instant start, Instant end);

    @SqlQuery("SELECT " + COLUMNS + " FROM credit_transactions WHERE user_id = :user "
            + "ORDER BY seq DESC LIMIT :limit OFFSET :offset")
    List<CreditTransaction> page(String user, int limit, int offset);

    @SqlQuery("SELECT COUNT(*) FROM credit_transactions WHERE user_id = :user")
    long count(String user);
}
