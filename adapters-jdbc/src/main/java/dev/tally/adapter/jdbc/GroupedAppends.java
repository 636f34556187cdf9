package dev.tally.adapter.jdbc;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.BatchPlan;
import dev.tally.application.port.Denied;
import dev.tally.application.port.PeriodRecord;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * The decisions of one group commit ({@link GroupCommit}) in a few multi-row statements, whatever
 * the group's size: before any member runs, every rollup row the group's records touch is locked
 * and read in one statement (in the order of user, period and metric, so that groups on several
 * connections or nodes lock in one order) and their facts' keys are looked up in one more; each
 * member's {@link JdbiUsageLedger#append} is then decided in Java, in the group's order, on what
 * was read and what the members before it wrote, by the rules every storage shares ({@link
 * BatchPlan}, {@link dev.tally.domain.plan.Admission}, {@link Denied}); before the commit, every
 * admitted fact is inserted in one statement (a key found stored meanwhile makes the group run
 * again, each member alone: {@link Stale}) and every rollup raised in one more.
 *
 * <p>A member this cannot decide on what was read (a rollup that does not exist yet, records that
 * feed meters, records the group was not told of) and any other statement a member runs (a rate,
 * an event, an expiry) first writes what the group decided so far and then leaves the rest of the
 * group to the statements of the ungrouped path, in the same transaction: the rows read stay
 * locked, so the decisions made in Java stand.
 */
final class GroupedAppends implements AutoCloseable {

    /** The records one member of a group appends for its user. */
    record Hint(UserId user, List<PeriodRecord> records) {
        Hint {
            records = List.copyOf(records);
        }
    }

    /**
     * A fact decided as new was stored by another transaction meanwhile: the group's decisions do
     * not stand, and each member runs again alone.
     */
    static final class Stale extends RuntimeException {
        Stale(String message) {
            super(message);
        }
    }

    /** Rows per multi-row statement: well within the parameters a statement may bind. */
    private static final int CHUNK = 500;

    private static final String ROLLUP_COLUMNS = "user_id, period_start, period_end, metric";
    private static final String FACT_COLUMNS = "user_id, metric, quantity, occurred_at, idempotency_key, "
            + "fingerprint, dimensions, period_start, period_end";

    private static final ThreadLocal<GroupedAppends> CURRENT = new ThreadLocal<>();

    /** A group with nothing to decide: every member runs the ungrouped path. */
    private static final GroupedAppends NONE = new GroupedAppends(null, null, new LongAdder());

    /** One rollup row: (user, period start, period end, metric), in lock order. */
    private record RowKey(String user, long start, long end, String metric) implements Comparable<RowKey> {
        private static final Comparator<RowKey> ORDER = Comparator.comparing(RowKey::user)
                .thenComparingLong(RowKey::start).thenComparingLong(RowKey::end).thenComparing(RowKey::metric);

        static RowKey of(String user, BatchPlan.Rollup rollup) {
            return new RowKey(user, Instants.toNanos(rollup.period().start()), Instants.toNanos(rollup.period().end()),
                    rollup.metric().value());
        }

        @Override
        public int compareTo(RowKey other) {
            return ORDER.compare(this, other);
        }
    }

    /** One fact's unique key. */
    private record FactKey(String user, String key) implements Comparable<FactKey> {
        static FactKey of(String user, PeriodRecord entry) {
            return new FactKey(user, entry.record().idempotencyKey().value());
        }

        @Override
        public int compareTo(FactKey other) {
            int byUser = user.compareTo(other.user);
            return byUser != 0 ? byUser : key.compareTo(other.key);
        }
    }

    private final Db db;
    private final Handle handle;
    /** The rows read locked, with what the group's decisions have made of them. */
    private final Map<RowKey, UsageTotals> rows = new HashMap<>();
    private final Set<FactKey> looked = new HashSet<>();
    /** The fingerprints stored under the keys looked up, before the group or by its members. */
    private final Map<FactKey, String> stored = new HashMap<>();
    private final Map<FactKey, FactTable.Row> newFacts = new TreeMap<>();
    private final Map<RowKey, BigDecimal> raises = new TreeMap<>();
    private boolean active;
    /** The meter and account catalogs' numbers, read together once per group when first asked. */
    private long[] catalogVersions;

    private final LongAdder decided;

    private GroupedAppends(Db db, Handle handle, LongAdder decided) {
        this.db = db;
        this.handle = handle;
        this.decided = decided;
    }

    /**
     * Opens the group of {@code hints} in the transaction of {@code handle}: locks and reads its
     * rollups, looks up its facts, and decides this thread's appends on {@code db} until closed.
     */
    static GroupedAppends open(Db db, Handle handle, List<Hint> hints, LongAdder decided) {
        if (hints.isEmpty()) {
            return NONE;
        }
        GroupedAppends group = new GroupedAppends(db, handle, decided);
        group.read(hints);
        group.active = true;
        CURRENT.set(group);
        return group;
    }

    /** The group deciding appends on {@code db} on this thread now, if any. */
    static GroupedAppends active(Db db) {
        GroupedAppends group = CURRENT.get();
        return group != null && group.active && group.db == db ? group : null;
    }

    /**
     * Called before any other statement on {@code db} joins this thread's transaction: what the
     * group decided is written first, and the rest of the group runs ungrouped.
     */
    static void beforeOtherWork(Db db) {
        GroupedAppends group = active(db);
        if (group != null) {
            group.settle();
        }
    }

    private void read(List<Hint> hints) {
        Set<RowKey> wanted = new TreeSet<>();
        for (Hint hint : hints) {
            String user = hint.user().value();
            for (PeriodRecord entry : hint.records()) {
                wanted.add(RowKey.of(user, new BatchPlan.Rollup(entry.record().metric(), entry.period())));
                looked.add(FactKey.of(user, entry));
            }
        }
        List<RowKey> ordered = new ArrayList<>(wanted);
        for (int from = 0; from < ordered.size(); from += CHUNK) {
            lockRollups(ordered.subList(from, Math.min(ordered.size(), from + CHUNK)));
        }
        List<FactKey> facts = new ArrayList<>(new TreeSet<>(looked));
        for (int from = 0; from < facts.size(); from += CHUNK) {
            lookUpFacts(facts.subList(from, Math.min(facts.size(), from + CHUNK)));
        }
    }

    /** Locks and reads rollup rows, in lock order, in one statement. */
    private void lockRollups(List<RowKey> keys) {
        String sql = "SELECT " + ROLLUP_COLUMNS + ", used, reserved FROM usage_rollups WHERE (" + ROLLUP_COLUMNS
                + ") IN (" + String.join(", ", Collections.nCopies(keys.size(), "(?, ?, ?, ?)")) + ") "
                + "ORDER BY user_id, period_start, period_end, metric FOR UPDATE";
        Object[] parameters = new Object[keys.size() * 4];
        int i = 0;
        for (RowKey key : keys) {
            parameters[i++] = key.user();
            parameters[i++] = key.start();
            parameters[i++] = key.end();
            parameters[i++] = key.metric();
        }
        Jdbc.list(handle, sql, rs -> {
            rows.put(new RowKey(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)),
                    new UsageTotals(Decimals.quantity(rs, "used"), Decimals.quantity(rs, "reserved")));
            return null;
        }, parameters);
    }

    /** Reads the fingerprints stored under some of the group's facts' keys, in one statement. */
    private void lookUpFacts(List<FactKey> keys) {
        String sql = "SELECT user_id, idempotency_key, fingerprint FROM usage_facts WHERE (user_id, idempotency_key) IN ("
                + String.join(", ", Collections.nCopies(keys.size(), "(?, ?)")) + ")";
        Object[] parameters = new Object[keys.size() * 2];
        int i = 0;
        for (FactKey key : keys) {
            parameters[i++] = key.user();
            parameters[i++] = key.key();
        }
        Jdbc.list(handle, sql, rs -> {
            stored.put(new FactKey(rs.getString(1), rs.getString(2)), rs.getString(3));
            return null;
        }, parameters);
    }

    /**
     * Decides one member's append on what the group read, as {@link JdbiUsageLedger#append} would
     * with its statements; empty when it cannot, after which the rest of the group runs ungrouped.
     */
    Optional<AppendResult> append(UserId user, List<PeriodRecord> records, Map<MetricKey, Limit> enforce,
                                  Set<MetricKey> watch, List<Meter> meters) {
        if (!meters.isEmpty()) {
            settle();
            return Optional.empty();
        }
        String u = user.value();
        BatchPlan plan = BatchPlan.of(records, enforce, watch, meters);
        List<PeriodRecord> fresh = new ArrayList<>();
        List<PeriodRecord> repeated = new ArrayList<>();
        for (PeriodRecord candidate : plan.candidates()) {
            FactKey key = FactKey.of(u, candidate);
            if (!looked.contains(key)) {
                settle();
                return Optional.empty();
            }
            (stored.containsKey(key) ? repeated : fresh).add(candidate);
        }
        Optional<AppendResult.KeyReused> reused = plan.reused(repeated, entry -> stored.get(FactKey.of(u, entry)));
        if (reused.isPresent()) {
            decided.increment();
            return Optional.of(reused.get());
        }
        List<BatchPlan.Raise> planned = plan.raises(fresh);
        for (BatchPlan.Raise raise : planned) {
            if (!rows.containsKey(RowKey.of(u, raise.rollup()))) {
                // A rollup to create: created rollups are counted within the bound of metrics (R67).
                settle();
                return Optional.empty();
            }
        }
        List<Denied> denials = new ArrayList<>();
        for (BatchPlan.Raise raise : planned) {
            UsageTotals current = rows.get(RowKey.of(u, raise.rollup()));
            if (!raise.admission().admits(current.used(), current.reserved())) {
                denials.add(raise.denied(current));
            }
        }
        decided.increment();
        if (!denials.isEmpty()) {
            return Optional.of(plan.firstOffending(fresh, denials));
        }
        List<AppendResult.Raised> raised = new ArrayList<>();
        for (BatchPlan.Raise raise : planned) {
            RowKey key = RowKey.of(u, raise.rollup());
            UsageTotals current = rows.get(key);
            BigDecimal used = Decimals.plain(current.used().add(raise.quantity()));
            rows.put(key, new UsageTotals(used, current.reserved()));
            raises.merge(key, raise.quantity(), BigDecimal::add);
            if (raise.watched()) {
                raised.add(raise.raised(used));
            }
        }
        for (PeriodRecord entry : fresh) {
            FactKey key = FactKey.of(u, entry);
            stored.put(key, entry.fingerprint());
            newFacts.put(key, FactTable.Row.of(user, entry));
        }
        return Optional.of(plan.appended(fresh.size(), repeated.size(), raised));
    }

    /**
     * The version of the meter catalog, read once per group: its members were all submitted before
     * the group began, so a change committed before any of them began is seen.
     */
    long metersVersion() {
        return catalogVersions()[0];
    }

    /** The account catalog's number, read with the meter catalog's once per group (R14, as {@link #metersVersion}). */
    long accountsVersion() {
        return catalogVersions()[1];
    }

    private long[] catalogVersions() {
        if (catalogVersions == null) {
            catalogVersions = Jdbc.first(handle, "SELECT m.version, a.version FROM meter_catalog m, account_catalog a"
                    + " WHERE m.id = 1 AND a.id = 1", rs -> new long[] {rs.getLong(1), rs.getLong(2)})
                    .orElseThrow(() -> new IllegalStateException("the meter and account catalogs have no row"));
        }
        return catalogVersions;
    }

    /** Writes what the group decided so far and leaves the rest of it to the ungrouped path. */
    private void settle() {
        active = false;
        flush();
    }

    /** Writes every fact and rollup raise decided so far: one statement each (per {@value #CHUNK} rows). */
    void flush() {
        if (this == NONE) {
            return;
        }
        List<FactTable.Row> facts = new ArrayList<>(newFacts.values());
        newFacts.clear();
        for (int from = 0; from < facts.size(); from += CHUNK) {
            insertFacts(facts.subList(from, Math.min(facts.size(), from + CHUNK)));
        }
        List<Map.Entry<RowKey, BigDecimal>> raised = new ArrayList<>(raises.entrySet());
        raises.clear();
        for (int from = 0; from < raised.size(); from += CHUNK) {
            raiseRollups(raised.subList(from, Math.min(raised.size(), from + CHUNK)));
        }
    }

    private void insertFacts(List<FactTable.Row> facts) {
        String sql = "INSERT INTO usage_facts (" + FACT_COLUMNS + ") VALUES "
                + String.join(", ", Collections.nCopies(facts.size(), "(?, ?, ?, ?, ?, ?, ?, ?, ?)"))
                + " ON CONFLICT DO NOTHING";
        Object[] parameters = new Object[facts.size() * 9];
        int i = 0;
        for (FactTable.Row fact : facts) {
            parameters[i++] = fact.user();
            parameters[i++] = fact.metric();
            parameters[i++] = fact.quantity();
            parameters[i++] = fact.occurredAt();
            parameters[i++] = fact.key();
            parameters[i++] = fact.fingerprint();
            parameters[i++] = fact.dimensions();
            parameters[i++] = fact.periodStart();
            parameters[i++] = fact.periodEnd();
        }
        int inserted = Jdbc.update(handle, sql, parameters);
        if (inserted != facts.size()) {
            throw new Stale((facts.size() - inserted) + " of the group's facts were stored meanwhile");
        }
    }

    /** Adds each raise to its rollup's used, in one statement; every row is held locked by this transaction. */
    private void raiseRollups(List<Map.Entry<RowKey, BigDecimal>> raised) {
        String sql = "MERGE INTO usage_rollups r USING (VALUES "
                + String.join(", ", Collections.nCopies(raised.size(), "(CAST(? AS VARCHAR(128)), CAST(? AS BIGINT), "
                        + "CAST(? AS BIGINT), CAST(? AS VARCHAR(63)), CAST(? AS NUMERIC(30,6)))"))
                + ") AS v (user_id, period_start, period_end, metric, added) "
                + "ON r.user_id = v.user_id AND r.period_start = v.period_start AND r.period_end = v.period_end "
                + "AND r.metric = v.metric WHEN MATCHED THEN UPDATE SET used = r.used + v.added";
        Object[] parameters = new Object[raised.size() * 5];
        int i = 0;
        for (Map.Entry<RowKey, BigDecimal> raise : raised) {
            RowKey key = raise.getKey();
            parameters[i++] = key.user();
            parameters[i++] = key.start();
            parameters[i++] = key.end();
            parameters[i++] = key.metric();
            parameters[i++] = raise.getValue();
        }
        int updated = Jdbc.update(handle, sql, parameters);
        if (updated != raised.size()) {
            throw new IllegalStateException("raised " + updated + " of " + raised.size() + " rollups held locked");
        }
    }

    @Override
    public void close() {
        if (this != NONE) {
            active = false;
            if (CURRENT.get() == this) {
                CURRENT.remove();
            }
        }
    }
}
