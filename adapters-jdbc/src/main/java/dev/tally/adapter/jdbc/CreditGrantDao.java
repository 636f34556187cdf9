package dev.tally.adapter.jdbc;

import dev.tally.application.port.CreditReconcileReport;
import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.GrantTerms;
import dev.tally.domain.user.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The SQL of credit grants and what each entry drew from them (R35–R37). */
@RegisterRowMapperFactory(CreditGrantDao.Rows.class)
interface CreditGrantDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(CreditGrant.class, CreditGrantDao::map);
            map(CreditReconcileReport.DrawFact.class, rs -> new CreditReconcileReport.DrawFact(
                    rs.getString("entry_id"), CreditType.fromWireName(rs.getString("entry_type")),
                    Instants.get(rs, "created_at"), rs.getString("grant_id"), rs.getLong("credits"),
                    rs.getLong("returned")));
            map(UserSum.class, rs -> new UserSum(rs.getString("user_id"), rs.getLong("balance"),
                    rs.getLong("total")));
            map(DrawRow.class, rs -> new DrawRow(rs.getString("entry_id"), rs.getInt("position"),
                    rs.getString("grant_id"), rs.getLong("credits"), rs.getLong("returned")));
        }
    }

    /** One entry's draw from one grant, and what refunds gave back of it. */
    record DrawRow(String entryId, int position, String grantId, long credits, long returned) {
    }

    /** A user's stored balance and the sum of its entries. */
    record UserSum(String user, long balance, long total) {
    }

    /**
     * Every user's stored balance beside the sum of its entries, for reconcile: one statement, so
     * both are of one instant. Every user with entries has a balance row (written first).
     */
    @SqlQuery("SELECT b.user_id, b.balance, (SELECT COALESCE(SUM(t.amount), 0) FROM credit_transactions t "
            + "WHERE t.user_id = b.user_id) AS total FROM credit_balances b")
    List<UserSum> balances();

    /** Every grant, for reconcile. */
    @SqlQuery("SELECT " + CreditGrantDao.COLUMNS + " FROM credit_grants")
    List<CreditGrant> allGrants();

    /** Every draw with its entry's type and instant, for reconcile. */
    @SqlQuery("SELECT d.entry_id, t.entry_type, t.created_at, d.grant_id, d.credits, d.returned "
            + "FROM credit_draws d JOIN credit_transactions t ON t.id = d.entry_id")
    List<CreditReconcileReport.DrawFact> allDraws();

    String COLUMNS = "id, user_id, entry_type, amount, remaining, priority, expires_at, expired, created_at";

    static CreditGrant map(ResultSet rs) throws SQLException {
        return new CreditGrant(rs.getString("id"), new UserId(rs.getString("user_id")),
                CreditType.fromWireName(rs.getString("entry_type")), rs.getLong("amount"), rs.getLong("remaining"),
                new GrantTerms(rs.getInt("priority"), Instants.optional(rs, "expires_at")),
                Instants.get(rs, "created_at"), rs.getBoolean("expired"));
    }

    /** Locks the user's balance row, so grants change in the order their writers got it. */
    @SqlQuery("SELECT balance FROM credit_balances WHERE user_id = :user FOR UPDATE")
    Optional<Long> lockBalance(String user);

    @SqlUpdate("INSERT INTO credit_grants (id, user_id, entry_type, amount, remaining, priority, expires_at, "
            + "spend_until, live, created_at, period_start) VALUES (:id, :user, :type, :amount, :amount, :priority, "
            + ":expiresAt, :spendUntil, TRUE, :createdAt, :periodStart)")
    void insert(String id, String user, String type, long amount, int priority, Long expiresAt, long spendUntil,
                Instant createdAt, Long periodStart);

    /** The live grants a spend at {@code at} draws from, in spending order (R35), through the spending index. */
    @SqlQuery("SELECT " + COLUMNS + " FROM credit_grants WHERE user_id = :user AND live = TRUE "
            + "AND spend_until > :at ORDER BY priority, spend_until, created_at, seq LIMIT :limit")
    List<CreditGrant> spendable(String user, long at, int limit);

    /** The live grants that lapsed by {@code at} (R36). */
    @SqlQuery("SELECT " + COLUMNS + " FROM credit_grants WHERE user_id = :user AND live = TRUE "
            + "AND spend_until <= :at ORDER BY spend_until, seq")
    List<CreditGrant> lapsed(String user, long at);

    @SqlQuery("SELECT COALESCE(SUM(remaining), 0) FROM credit_grants WHERE user_id = :user AND live = TRUE "
            + "AND spend_until <= :at")
    long lapsedRemainder(String user, long at);

    @SqlUpdate("UPDATE credit_grants SET remaining = remaining - :credits, "
            + "live = CASE WHEN remaining - :credits > 0 THEN TRUE ELSE FALSE END "
            + "WHERE id = :id AND live = TRUE AND remaining >= :credits")
    int draw(String id, long credits);

    @SqlUpdate("UPDATE credit_grants SET remaining = remaining + :credits, live = TRUE "
            + "WHERE id = :id AND expired = FALSE AND remaining + :credits <= amount")
    int giveBack(String id, long credits);

    /** Writes a grant off, once: 0 rows when another writer already did (R36). */
    @SqlUpdate("UPDATE credit_grants SET live = FALSE, expired = TRUE WHERE id = :id AND expired = FALSE")
    int lapse(String id);

    @SqlQuery("SELECT expired FROM credit_grants WHERE id = :id")
    boolean expired(String id);

    @SqlUpdate("INSERT INTO credit_draws (entry_id, position, grant_id, credits) "
            + "VALUES (:entryId, :position, :grantId, :credits)")
    void insertDraw(String entryId, int position, String grantId, long credits);

    @SqlQuery("SELECT entry_id, position, grant_id, credits, returned FROM credit_draws WHERE entry_id = :entryId "
            + "ORDER BY position")
    List<DrawRow> draws(String entryId);

    @SqlQuery("SELECT entry_id, position, grant_id, credits, returned FROM credit_draws "
            + "WHERE entry_id IN (<ids>) ORDER BY entry_id, position")
    List<DrawRow> drawsOf(@BindList("ids") List<String> ids);

    @SqlUpdate("UPDATE credit_draws SET returned = returned + :credits WHERE entry_id = :entryId "
            + "AND position = :position AND returned + :credits <= credits")
    int markReturned(String entryId, int position, long credits);

    @SqlQuery("SELECT " + COLUMNS + " FROM credit_grants WHERE user_id = :user ORDER BY seq DESC "
            + "LIMIT :limit OFFSET :offset")
    List<CreditGrant> page(String user, int limit, int offset);

    @SqlQuery("SELECT " + COLUMNS + " FROM credit_grants WHERE user_id = :user AND period_start = :periodStart")
    Optional<CreditGrant> periodGrant(String user, long periodStart);

    @SqlQuery("SELECT MAX(period_start) FROM credit_grants WHERE user_id = :user")
    Optional<Long> latestPeriodStart(String user);

    @SqlQuery("SELECT COUNT(*) FROM credit_grants WHERE user_id = :user AND period_start = :periodStart")
    int periodGranted(String user, long periodStart);
}
