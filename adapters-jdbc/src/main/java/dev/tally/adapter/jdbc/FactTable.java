package dev.tally.adapter.jdbc;

import dev.tally.application.port.PeriodRecord;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Every statement on {@code usage_facts}, in the handle's transaction: facts stored under their
 * unique (user, idempotency key) and taken back by a refused write, in plain JDBC ({@link Jdbc});
 * a period's facts summed per slice (R52) and the refiling of facts, through {@link Sql}.
 */
final class FactTable {

    private static final String INSERT = "INSERT INTO usage_facts (user_id, metric, quantity, occurred_at, "
            + "idempotency_key, fingerprint, dimensions, period_start, period_end) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String STORED_FINGERPRINT =
            "SELECT fingerprint FROM usage_facts WHERE user_id = ? AND idempotency_key = ?";
    private static final String DELETE = "DELETE FROM usage_facts WHERE user_id = ? AND idempotency_key = ?";
    /**
     * The condition of a fact that counts, in a statement on {@code usage_facts} that binds
     * {@code :user}: it has no void (R92). The user's voids are read once (index usage_voids_user)
     * rather than probed per fact, which H2 does row by row.
     */
    static final String NOT_VOIDED = "usage_facts.id NOT IN (SELECT v.fact_id FROM usage_voids v WHERE v.user_id = :user) ";

    /** One fact as its row is inserted. */
    record Row(String user, String metric, BigDecimal quantity, Instant occurredAt, String key, String fingerprint,
               String dimensions, Instant periodStart, Instant periodEnd) {
        static Row of(UserId user, PeriodRecord entry) {
            UsageRecord record = entry.record();
            return new Row(user.value(), record.metric().value(), record.quantity(), record.occurredAt(),
                    record.idempotencyKey().value(), entry.fingerprint(), Json.object(record.dimensions()),
                    entry.period().start(), entry.period().end());
        }
    }

    /** The sum of one slice: its number (start in nanoseconds divided by the slice) and quantity. */
    record SliceRow(long slice, BigDecimal quantity) {
        static SliceRow map(ResultSet rs) throws SQLException {
            return new SliceRow(rs.getLong("slice"), Decimals.quantity(rs, "quantity"));
        }
    }

    private final Handle handle;

    FactTable(Handle handle) {
        this.handle = handle;
    }

    /** Stores facts; a count of 0 means that key was stored already (or by a transaction that just committed). */
    int[] insert(List<Row> facts) {
        return Jdbc.batch(handle, INSERT, facts.stream()
                .map(fact -> new Object[] {fact.user(), fact.metric(), fact.quantity(), fact.occurredAt(), fact.key(),
                        fact.fingerprint(), fact.dimensions(), fact.periodStart(), fact.periodEnd()})
                .toList());
    }

    Optional<String> storedFingerprint(String user, String key) {
        return Jdbc.first(handle, STORED_FINGERPRINT, rs -> rs.getString(1), user, key);
    }

    /** Deletes facts this transaction stored, before anything else could see them. */
    void delete(String user, List<String> keys) {
        Jdbc.batch(handle, DELETE, keys.stream().map(key -> new Object[] {user, key}).toList());
    }

    /** Facts of one (user, metric, period) summed per slice of {@code sliceNanos} (R52). */
    List<SliceRow> slices(String user, String metric, Instant start, Instant end, long sliceNanos) {
        return sql().slices(user, metric, start, end, sliceNanos);
    }

    /** Where each of a user's facts is filed. */
    List<Filing> filings(String user) {
        return sql().filings(user);
    }

    /** Moves facts to other periods. */
    void refile(List<Filing.Moved> facts) {
        sql().refile(facts);
    }

    private Sql sql() {
        return Db.attach(handle, Sql.class);
    }

    /** The statements Jdbi binds by name; attached only when one of them runs. */
    @RegisterRowMapperFactory(Sql.Rows.class)
    interface Sql {

        /** How these rows are read. */
        final class Rows extends RowMappings {
            public Rows() {
                map(SliceRow.class, SliceRow::map);
                map(Filing.class, Filing::map);
            }
        }

        /** From index usage_facts_series: the period's facts only, never the user's history. */
        @SqlQuery("SELECT slice, SUM(quantity) AS quantity FROM ("
                + "  SELECT occurred_at / :sliceNanos AS slice, quantity FROM usage_facts "
                + "  WHERE user_id = :user AND metric = :metric AND period_start = :start AND period_end = :end"
                + "  AND " + NOT_VOIDED
                + ") f GROUP BY slice ORDER BY slice")
        List<SliceRow> slices(String user, String metric, Instant start, Instant end, long sliceNanos);

        @SqlQuery("SELECT CAST(id AS VARCHAR(20)) AS id, occurred_at AS at, period_start, period_end "
                + "FROM usage_facts WHERE user_id = :user")
        List<Filing> filings(String user);

        @SqlBatch("UPDATE usage_facts SET period_start = :periodStart, period_end = :periodEnd "
                + "WHERE id = CAST(:id AS BIGINT)")
        void refile(@BindMethods List<Filing.Moved> facts);
    }
}
