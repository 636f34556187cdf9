package dev.tally.adapter.jdbc;

import dev.tally.application.port.BatchPlan.Rollup;
import dev.tally.domain.plan.Admission;
import dev.tally.domain.usage.UsageTotals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntSupplier;
import org.jdbi.v3.core.Handle;

/**
 * The ledger's writes of every decision, in plain JDBC ({@link Jdbc}) in the handle's
 * transaction: facts stored under their unique key, and rollups raised, each by one statement
 * (conditional where a limit applies, R13), and each period's count of rollups raised within the
 * user's bound of metrics (R67). The rest of the ledger's SQL is in {@link UsageDao}.
 */
final class LedgerWrites {

    private static final String INSERT_FACT = "INSERT INTO usage_facts (user_id, metric, quantity, occurred_at, "
            + "idempotency_key, fingerprint, dimensions, period_start, period_end) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String STORED_FINGERPRINT =
            "SELECT fingerprint FROM usage_facts WHERE user_id = ? AND idempotency_key = ?";
    private static final String DELETE_FACT = "DELETE FROM usage_facts WHERE user_id = ? AND idempotency_key = ?";
    private static final String ENSURE_ROLLUP = "INSERT INTO usage_rollups "
            + "(user_id, period_start, period_end, metric, used, reserved) VALUES (?, ?, ?, ?, 0, 0) "
            + "ON CONFLICT DO NOTHING";
    private static final String ROLLUP = " WHERE user_id = ? AND period_start = ? AND period_end = ? AND metric = ?";
    /** The condition of an {@link dev.tally.domain.plan.Admission}: what is held stays within its ceiling. */
    private static final String WITHIN = " AND used + reserved <= ?";
    private static final String ADD_USED = "UPDATE usage_rollups SET used = used + ?" + ROLLUP;
    private static final String ADD_RESERVED = "UPDATE usage_rollups SET reserved = reserved + ?" + ROLLUP;
    private static final String DELETE_ROLLUP = "DELETE FROM usage_rollups" + ROLLUP;
    private static final String PERIOD = " WHERE user_id = ? AND period_start = ? AND period_end = ?";
    private static final String ENSURE_METRICS = "INSERT INTO usage_period_metrics "
            + "(user_id, period_start, period_end, metrics) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING";
    private static final String ADD_METRICS = "UPDATE usage_period_metrics SET metrics = metrics + ?" + PERIOD;
    private static final String METRICS_WITHIN = " AND metrics + ? <= ?";
    private static final String METRICS = "SELECT metrics FROM usage_period_metrics" + PERIOD;

    private final Handle handle;

    LedgerWrites(Handle handle) {
        this.handle = handle;
    }

    /** The handle these writes run on, in its transaction. */
    Handle handle() {
        return handle;
    }

    /** Stores facts; a count of 0 means that key was stored already (or by a transaction that just committed). */
    int[] insertFacts(List<UsageDao.FactRow> facts) {
        return Jdbc.batch(handle, INSERT_FACT, facts.stream()
                .map(fact -> new Object[] {fact.user(), fact.metric(), fact.quantity(), fact.occurredAt(), fact.key(),
                        fact.fingerprint(), fact.dimensions(), fact.periodStart(), fact.periodEnd()})
                .toList());
    }

    Optional<String> storedFingerprint(String user, String key) {
        return Jdbc.first(handle, STORED_FINGERPRINT, rs -> rs.getString(1), user, key);
    }

    void deleteFacts(String user, List<String> keys) {
        Jdbc.batch(handle, DELETE_FACT, keys.stream().map(key -> new Object[] {user, key}).toList());
    }

    /**
     * Creates the rollup row when it is missing, waiting for a concurrent creator to commit; true
     * when this call created it, which must then be counted ({@link #addMetrics}).
     */
    boolean ensureRollup(String user, Instant start, Instant end, String metric) {
        return Jdbc.update(handle, ENSURE_ROLLUP, user, start, end, metric) == 1;
    }

    /** Used and reserved of a rollup row, locked until the transaction ends; zero when there is no row. */
    UsageTotals lockedRollup(String user, Instant start, Instant end, String metric) {
        return Jdbc.first(handle, UsageReadDao.ROLLUP + " FOR UPDATE", UsageDao.RollupRow::map, user, start, end,
                        metric)
                .map(row -> new UsageTotals(row.used(), row.reserved()))
                .orElse(UsageTotals.ZERO);
    }

    /** Deletes a rollup row this transaction created, taking back a refused write. */
    void deleteRollup(String user, Instant start, Instant end, String metric) {
        Jdbc.update(handle, DELETE_ROLLUP, user, start, end, metric);
    }

    /**
     * Adds {@code added} (either sign) to the number of rollups of the user's period, by one
     * statement that, with {@code max}, is conditional on the result staying within it (R67):
     * the row lock serialises counters on every node, as the rollups' own writes do. False, with
     * nothing changed, when there is no room.
     */
    boolean addMetrics(String user, Instant start, Instant end, int added, OptionalInt max) {
        long count = added;
        IntSupplier write = () -> max.isEmpty() ? Jdbc.update(handle, ADD_METRICS, count, user, start, end)
                : Jdbc.update(handle, ADD_METRICS + METRICS_WITHIN, count, user, start, end, count,
                (long) max.getAsInt());
        if (write.getAsInt() == 1) {
            return true;
        }
        Jdbc.update(handle, ENSURE_METRICS, user, start, end);
        return write.getAsInt() == 1;
    }

    /** How many rollups the user's period has, as last committed or written here. */
    long metrics(String user, Instant start, Instant end) {
        return Jdbc.first(handle, METRICS, rs -> rs.getLong(1), user, start, end).orElse(0L);
    }

    /** Takes {@code quantity} back out of a rollup's used, undoing a raise this transaction made. */
    void lowerUsed(String user, Rollup rollup, BigDecimal quantity) {
        Jdbc.update(handle, ADD_USED, quantity.negate(), user, rollup.period().start(), rollup.period().end(),
                rollup.metric().value());
    }

    /**
     * The write of check-and-record (R13): adds the admission's request to a rollup's used, by one
     * statement conditional on the admission's ceiling when it has one. False when there is no row,
     * or no room.
     */
    boolean addUsed(String user, Rollup rollup, Admission admission) {
        return Jdbc.update(handle, ADD_USED + within(admission), bind(user, rollup, admission)) == 1;
    }

    /** {@link #addUsed}, returning the rollup's new used (R75); empty when there is no row or no room. */
    Optional<BigDecimal> addUsedReporting(String user, Rollup rollup, Admission admission) {
        return Jdbc.updateReturning(handle, ADD_USED + within(admission), "used", bind(user, rollup, admission));
    }

    /** {@link #addUsed} for a hold: adds the admission's request to the rollup's reserved. */
    boolean addReserved(String user, Rollup rollup, Admission admission) {
        return Jdbc.update(handle, ADD_RESERVED + within(admission), bind(user, rollup, admission)) == 1;
    }

    private static String within(Admission admission) {
        return admission.isUnlimited() ? "" : WITHIN;
    }

    /** The parameters of a raise: the quantity, the rollup, and the admission's ceiling when it has one. */
    private static Object[] bind(String user, Rollup rollup, Admission admission) {
        Object[] key = {admission.requested(), user, rollup.period().start(), rollup.period().end(),
                rollup.metric().value()};
        return admission.ceiling().map(ceiling -> {
            Object[] within = Arrays.copyOf(key, key.length + 1);
            within[key.length] = ceiling;
            return within;
        }).orElse(key);
    }
}
