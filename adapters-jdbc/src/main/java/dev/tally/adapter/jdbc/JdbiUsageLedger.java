package dev.tally.adapter.jdbc;

import dev.tally.application.port.ExportPosition;
import dev.tally.application.port.ExportRow;
import dev.tally.application.port.VoidOutcome;
import dev.tally.domain.usage.IdempotencyKey;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.BatchPlan;
import dev.tally.application.port.BatchPlan.Rollup;
import dev.tally.application.port.Denied;
import dev.tally.application.port.MeterStore;
import dev.tally.application.port.MetricsFull;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.PeriodTotals;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.port.ReconcileReport;
import dev.tally.application.port.ReserveResult;
import dev.tally.application.port.UsageLedger;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.meter.MeterDecision;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Admission;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricBound;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;

/**
 * The usage ledger in SQL (R10, R13, R20, R21, R26). Facts are immutable rows, unique per
 * (user, idempotency key); each is filed in its period and added, in the same transaction, to
 * the rollup row of (user, period, metric). Enforcement is one conditional {@code UPDATE} of
 * that row ({@code ... AND used + reserved + q <= limit}): the row lock serialises writers on
 * one node or many, and under READ COMMITTED a waiting writer re-checks the condition against
 * the committed row, so granted usage never exceeds the limit and room is never refused. A write
 * that creates rollups raises its period's count of them in the same transaction, by one
 * conditional {@code UPDATE} of one row per (user, period) when the bound of metrics applies
 * (R67): exact in the same way. A refusal takes back every row the write created.
 */
public final class JdbiUsageLedger implements UsageLedger {

    /** Facts refiled per batched statement. */
    private static final int REFILE_BATCH = 1000;

    private final Db db;

    JdbiUsageLedger(Db db) {
        this.db = db;
    }

    @Override
    public AppendResult append(UserId user, List<PeriodRecord> records, Map<MetricKey, Limit> enforce,
                               Set<MetricKey> watch, MetricBound bound, List<Meter> meters) {
        if (records.isEmpty()) {
            return new AppendResult.Appended(0, 0);
        }
        GroupedAppends group = GroupedAppends.active(db);
        if (group != null) {
            Optional<AppendResult> decided = group.append(user, records, enforce, watch, meters);
            if (decided.isPresent()) {
                return decided.get();
            }
        }
        return db.inTransaction(handle -> appendIn(Tables.on(handle), user, records, enforce, watch, bound, meters));
    }

    /**
     * Stores the facts first: the unique key makes a concurrent writer of the same key wait for
     * this transaction and then see its fact. Only then are the rollups of the new facts raised,
     * in one order, each by one conditional write, and the rollups it created are counted within
     * the bound. A refusal takes back what this call wrote, so the common case costs one batch of
     * inserts and one update per rollup, and no savepoint.
     */
    private static AppendResult appendIn(Tables writes, UserId user, List<PeriodRecord> records,
                                         Map<MetricKey, Limit> enforce, Set<MetricKey> watch, MetricBound bound,
                                         List<Meter> meters) {
        BatchPlan plan = BatchPlan.of(records, enforce, watch, meters);
        Filed filed = insertFacts(writes, user, plan.candidates());
        List<AppendResult.Raised> raised = new ArrayList<>();
        Undo undo = new Undo(user);
        List<Runnable> decided = new ArrayList<>();
        Optional<AppendResult> refused = plan.reused(filed.repeated(), entry -> storedFingerprint(writes, user, entry))
                .map(AppendResult.class::cast)
                .or(() -> raiseRollups(writes, user, plan, filed.fresh(), raised::add, undo, decided::add))
                .or(() -> countCreated(writes, user, plan.added(filed.fresh(), undo.created()::contains), bound));
        if (refused.isPresent()) {
            undo.apply(writes);
            deleteFacts(writes, user, filed.fresh());
            return refused.get();
        }
        // Every rollup is locked by this transaction and every limit admits the batch: write the
        // meters' decided values, distinct values and groups.
        decided.forEach(Runnable::run);
        // No key is reused, so every fact already stored is a duplicate.
        return plan.appended(filed.fresh(), filed.repeated().size(), raised);
    }

    /** What an insert of facts did: stored them now, or met their keys stored already. */
    private record Filed(List<PeriodRecord> fresh, List<PeriodRecord> repeated) {
    }

    /** Stores facts, in the order given; a fact whose key was stored already is left as it was. */
    private static Filed insertFacts(Tables writes, UserId user, List<PeriodRecord> facts) {
        int[] inserted = writes.facts().insert(facts.stream().map(entry -> FactTable.Row.of(user, entry)).toList());
        List<PeriodRecord> fresh = new ArrayList<>(facts.size());
        List<PeriodRecord> repeated = new ArrayList<>();
        for (int i = 0; i < inserted.length; i++) {
            (inserted[i] == 1 ? fresh : repeated).add(facts.get(i));
        }
        return new Filed(fresh, repeated);
    }

    /** The fingerprint stored under the key of {@code entry}, which another transaction stored. */
    private static String storedFingerprint(Tables writes, UserId user, PeriodRecord entry) {
        IdempotencyKey key = entry.record().idempotencyKey();
        // Absent only while the transaction that stored it is undecided: run this one again.
        return writes.facts().storedFingerprint(user.value(), key.value()).orElseThrow(() ->
                new Db.Conflict("fact " + key + " of " + user + " is being written"));
    }

    /**
     * Raises the rollups of the new facts as the plan says, in lock order, each by one conditional
     * write within its admission, reporting the new used of watched ones; {@code undo} learns each
     * raise and each rollup created. When one has no room, refuses with the denial every storage
     * reports (R13).
     */
    private static Optional<AppendResult> raiseRollups(Tables writes, UserId user, BatchPlan plan,
                                                       List<PeriodRecord> fresh, Consumer<AppendResult.Raised> report,
                                                       Undo undo, Consumer<Runnable> afterwards) {
        List<Denied> denials = new ArrayList<>();
        for (BatchPlan.Raise raise : plan.raises(fresh)) {
            Rollup rollup = raise.rollup();
            if (raise.meter().isPresent() && !raise.meter().get().groupBy().isEmpty()) {
                afterwards.accept(() -> writeGroups(writes, user, raise));
            }
            if (raise.decided()) {
                decide(writes, user, plan, raise, report, undo, afterwards).ifPresent(denials::add);
                continue;
            }
            Admission admission = raise.admission();
            BooleanSupplier write = raise.watched()
                    ? () -> writes.rollups().addUsedReporting(user.value(), rollup, admission).map(used -> {
                        report.accept(raise.raised(used));
                        return true;
                    }).orElse(false)
                    : () -> writes.rollups().addUsed(user.value(), rollup, admission);
            add(writes, user, rollup, admission, write, () -> undo.created(rollup))
                    .ifPresentOrElse(denials::add, () -> undo.raised(rollup, raise.quantity()));
        }
        if (denials.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(plan.firstOffending(fresh, denials));
    }

    /**
     * Decides a {@code max}, {@code unique_count} or {@code latest} meter's raise (R82) on its
     * rollup, created if missing and locked: the distinct values the period holds are read under
     * that lock, so concurrent writers of the meter decide one after another. What the decision
     * writes is left to {@code afterwards}, once the whole batch is admitted.
     */
    private static Optional<Denied> decide(Tables writes, UserId user, BatchPlan plan, BatchPlan.Raise raise,
                                           Consumer<AppendResult.Raised> report, Undo undo,
                                           Consumer<Runnable> afterwards) {
        Rollup rollup = raise.rollup();
        String u = user.value();
        if (writes.rollups().ensure(u, rollup.period().start(), rollup.period().end(), rollup.metric().value())) {
            undo.created(rollup);
        }
        MeterDecision.State current = writes.meters().locked(u, rollup);
        boolean unique = raise.meter().orElseThrow().aggregation() == dev.tally.domain.meter.Aggregation.UNIQUE_COUNT;
        Set<String> seen = unique ? writes.meters().seen(u, rollup, MeterTable.OWN, raise.distinctValues()) : Set.of();
        MeterDecision decision = raise.decide(current, seen::contains);
        if (decision instanceof MeterDecision.Refused refused) {
            return Optional.of(plan.refused(raise, refused, current));
        }
        MeterDecision.Admitted admitted = (MeterDecision.Admitted) decision;
        if (raise.watched()) {
            report.accept(new AppendResult.Raised(rollup.metric(), rollup.period(),
                    admitted.after().value().subtract(current.value()), admitted.after().value()));
        }
        afterwards.accept(() -> {
            if (writes.meters().addDistinct(u, rollup, MeterTable.OWN, admitted.newValues())
                    != admitted.newValues().size()) {
                throw new Db.Conflict("the distinct values of " + rollup + " changed under its lock");
            }
            if (!admitted.after().equals(current)) {
                writes.meters().set(u, rollup, admitted.after());
            }
        });
        return Optional.empty();
    }

    /**
     * Takes a meter raise's records into their groups (R83): each group's row read locked, a new
     * group kept apart while the period has fewer than {@link MeterStore#MAX_GROUPS}, else counted
     * under "other". The meter's rollup, which this transaction holds locked, orders writers.
     */
    private static void writeGroups(Tables writes, UserId user, BatchPlan.Raise raise) {
        Meter meter = raise.meter().orElseThrow();
        Rollup rollup = raise.rollup();
        String u = user.value();
        Map<String, List<UsageRecord>> byGroup = new java.util.LinkedHashMap<>();
        for (PeriodRecord entry : raise.records()) {
            byGroup.computeIfAbsent(groupKey(meter.groupOf(entry.record())), g -> new ArrayList<>())
                    .add(entry.record());
        }
        Map<String, List<UsageRecord>> placed = new java.util.LinkedHashMap<>();
        long count = -1;
        for (Map.Entry<String, List<UsageRecord>> group : byGroup.entrySet()) {
            String key = group.getKey();
            if (writes.meters().group(u, rollup, key).isEmpty()) {
                if (count < 0) {
                    count = writes.meters().groupCount(u, rollup);
                }
                if (count >= MeterStore.MAX_GROUPS) {
                    key = MeterTable.OTHER;
                } else {
                    count++;
                }
            }
            placed.computeIfAbsent(key, k -> new ArrayList<>()).addAll(group.getValue());
        }
        placed.forEach((key, records) -> {
            Optional<MeterDecision.State> stored = writes.meters().group(u, rollup, key);
            MeterDecision.State state = stored.orElse(MeterDecision.State.EMPTY);
            boolean unique = meter.aggregation() == dev.tally.domain.meter.Aggregation.UNIQUE_COUNT;
            Set<String> seen = unique ? writes.meters().seen(u, rollup, key,
                    records.stream().map(meter::distinctValue).distinct().toList()) : Set.of();
            MeterDecision.Admitted taken = (MeterDecision.Admitted) MeterDecision.decide(meter, Limit.unlimited(),
                    state, records, seen::contains);
            writes.meters().addDistinct(u, rollup, key, taken.newValues());
            writes.meters().putGroup(u, rollup, key, taken.after(), stored.isPresent());
        });
    }

    /**
     * Counts created rollups (in request order) in their periods' counts, within {@code bound}: one
     * statement per period, in period order, conditional when any of them is a metric the bound
     * does not declare. When a period has no room, takes back the counts raised and refuses with
     * the metric every storage names ({@link MetricsFull#firstRefused}).
     */
    private static Optional<MetricsFull> countCreated(Tables writes, UserId user,
                                                      List<MetricsFull.Added> added, MetricBound bound) {
        Map<BillingPeriod, List<MetricsFull.Added>> byPeriod = new TreeMap<>(PERIOD_ORDER);
        added.forEach(rollup -> byPeriod.computeIfAbsent(rollup.period(), p -> new ArrayList<>()).add(rollup));
        String u = user.value();
        Map<BillingPeriod, Integer> counted = new HashMap<>();
        Map<BillingPeriod, Long> full = new HashMap<>();
        byPeriod.forEach((period, rollups) -> {
            boolean bounded = rollups.stream().anyMatch(rollup -> !bound.declares(rollup.metric()));
            if (writes.metrics().add(u, period.start(), period.end(), rollups.size(),
                    bounded ? OptionalInt.of(bound.max()) : OptionalInt.empty())) {
                counted.put(period, rollups.size());
            } else {
                full.put(period, writes.metrics().count(u, period.start(), period.end()));
            }
        });
        if (full.isEmpty()) {
            return Optional.empty();
        }
        counted.forEach((period, count) -> writes.metrics().add(u, period.start(), period.end(), -count,
                OptionalInt.empty()));
        List<MetricsFull.Added> refused = added.stream().filter(rollup -> full.containsKey(rollup.period())).toList();
        // A period found full stays full while this transaction runs: counts only grow meanwhile.
        return Optional.of(MetricsFull.firstRefused(refused, full::get, bound)
                .orElseThrow(() -> new Db.Conflict("the metrics of " + user + " changed while counted")));
    }

    /** What a write did to rollups, to take back when it is refused. */
    private static final class Undo {

        private final UserId user;
        private final Map<Rollup, BigDecimal> raised = new HashMap<>();
        private final Set<Rollup> created = new HashSet<>();

        Undo(UserId user) {
            this.user = user;
        }

        void raised(Rollup rollup, BigDecimal quantity) {
            raised.put(rollup, quantity);
        }

        void created(Rollup rollup) {
            created.add(rollup);
        }

        Set<Rollup> created() {
            return created;
        }

        /** Lowers the raises back and deletes the rows created, which no other transaction has seen. */
        void apply(Tables writes) {
            raised.forEach((rollup, quantity) -> {
                if (!created.contains(rollup)) {
                    lower(writes, user, rollup, quantity);
                }
            });
            created.forEach(rollup -> writes.rollups().delete(user.value(), rollup.period().start(),
                    rollup.period().end(), rollup.metric().value()));
        }
    }

    /** Takes back facts this transaction stored, before anything else could see them. */
    private static void deleteFacts(Tables writes, UserId user, List<PeriodRecord> facts) {
        if (!facts.isEmpty()) {
            writes.facts().delete(user.value(), facts.stream().map(f -> f.record().idempotencyKey().value()).toList());
        }
    }

    /** Takes back a raise of a rollup this transaction made (and still holds locked). */
    private static void lower(Tables writes, UserId user, Rollup rollup, BigDecimal quantity) {
        writes.rollups().lowerUsed(user.value(), rollup, quantity);
    }

    /**
     * Raises one rollup by {@code write}, one conditional statement within the ceiling of
     * {@code admission}, preceded by creating the row only when it is missing (then told to
     * {@code created}, whether the write is refused or not). The denial when it has no room.
     *
     * @param write the raise, true when it was written
     */
    private static Optional<Denied> add(Tables writes, UserId user, Rollup rollup, Admission admission,
                                        BooleanSupplier write, Runnable created) {
        if (write.getAsBoolean()) {
            return Optional.empty();
        }
        String u = user.value();
        Instant start = rollup.period().start();
        Instant end = rollup.period().end();
        String metric = rollup.metric().value();
        // No row yet, or no room: create the row if it is missing (waiting for a concurrent
        // creator to commit) and write again, the limit checked against the committed row.
        if (writes.rollups().ensure(u, start, end, metric)) {
            created.run();
        }
        if (write.getAsBoolean()) {
            return Optional.empty();
        }
        // Refused: read the row locked, so that the denial reports what refused it. A release that
        // committed in between may have made room, which the write, under the lock, then takes.
        UsageTotals current = writes.rollups().locked(u, start, end, metric);
        if (admission.admits(current.used(), current.reserved()) && write.getAsBoolean()) {
            return Optional.empty();
        }
        return Optional.of(Denied.of(rollup.metric(), rollup.period(), current, admission));
    }

    @Override
    public VoidOutcome voidRecord(UserId user, IdempotencyKey key, String reason, Instant at, Instant closedBefore) {
        return db.inTransaction(handle -> {
            VoidTable voids = new VoidTable(handle);
            Optional<VoidTable.Fact> found = voids.lockFact(user, key);
            if (found.isEmpty()) {
                return new VoidOutcome.NotFound();
            }
            VoidTable.Fact fact = found.get();
            Rollup rollup = new Rollup(fact.metric(), fact.period());
            Optional<ExportRow.Voided> earlier = voids.voidOf(fact.id());
            if (earlier.isPresent()) {
                BigDecimal used = new RollupTable(handle).find(user.value(), fact.period().start(),
                        fact.period().end(), fact.metric().value()).map(RollupTable.Row::used).orElse(BigDecimal.ZERO);
                return voided(key, fact, earlier.get(), false, used);
            }
            if (fact.period().end().isBefore(closedBefore)) {
                return new VoidOutcome.PeriodClosed(fact.period());
            }
            voids.insert(fact.id(), user, reason, at);
            List<VoidOutcome.Changed> changed = takeBack(handle, user, fact, rollup);
            return voided(key, fact, new ExportRow.Voided(reason, at), true, changed.get(0).after(), changed);
        });
    }

    /**
     * Takes back what a record caused (R92): its quantity out of the rollup of its (metric,
     * period), and every meter it fed recomputed for that period from the facts that remain (value,
     * latest instant, distinct values and groups, as reconcile repairs them); rollups locked in
     * {@link BatchPlan#LOCK_ORDER}, as an append locks them. Series and reconcile leave voided
     * facts out where they read them. The one place a void's effects are listed for this storage;
     * answers the record's metric first, then each meter whose value changed.
     */
    private List<VoidOutcome.Changed> takeBack(Handle handle, UserId user, VoidTable.Fact fact, Rollup rollup) {
        UsageRecord record = new UsageRecord(user, fact.metric(), fact.quantity(), fact.occurredAt(),
                new IdempotencyKey("stored"), Json.parseObject(fact.dimensions()));
        Tables writes = Tables.on(handle);
        Map<Rollup, Meter> fed = new TreeMap<>(BatchPlan.LOCK_ORDER);
        Meter.fed(writes.meters().all(), record).forEach(meter -> fed.put(new Rollup(meter.key(), fact.period()),
                meter));
        fed.put(rollup, null);
        VoidOutcome.Changed own = null;
        List<VoidOutcome.Changed> meters = new ArrayList<>();
        for (Map.Entry<Rollup, Meter> entry : fed.entrySet()) {
            if (entry.getValue() == null) {
                BigDecimal after = writes.rollups().lowerUsedReporting(user.value(), rollup, fact.quantity())
                        .orElseThrow(() -> new IllegalStateException("a stored fact has no rollup: " + rollup));
                own = new VoidOutcome.Changed(fact.metric(), after.add(fact.quantity()), after);
            } else {
                reconcileMeter(writes, entry.getValue(), user.value(), fact.period(), true)
                        .filter(drift -> drift.storedUsed().compareTo(drift.factUsed()) != 0)
                        .ifPresent(drift -> meters.add(new VoidOutcome.Changed(entry.getValue().key(),
                                drift.storedUsed(), drift.factUsed())));
            }
        }
        List<VoidOutcome.Changed> changed = new ArrayList<>();
        changed.add(own);
        changed.addAll(meters);
        return changed;
    }

    private static VoidOutcome.Voided voided(IdempotencyKey key, VoidTable.Fact fact, ExportRow.Voided voided,
                                             boolean now, BigDecimal usedAfter) {
        return voided(key, fact, voided, now, usedAfter, List.of());
    }

    private static VoidOutcome.Voided voided(IdempotencyKey key, VoidTable.Fact fact, ExportRow.Voided voided,
                                             boolean now, BigDecimal usedAfter, List<VoidOutcome.Changed> changed) {
        return new VoidOutcome.Voided(key, fact.metric(), fact.quantity(), fact.occurredAt(), fact.period(),
                voided.reason(), voided.voidedAt(), now, usedAfter, changed);
    }

    @Override
    public List<ExportRow> exportPage(Optional<UserId> user, Instant from, Instant to, Optional<ExportPosition> after,
                                      int limit) {
        ExportPosition start = after.orElse(new ExportPosition(from, Long.MIN_VALUE));
        return db.read(handle -> new VoidTable(handle).exportPage(user, from, to, start, limit));
    }

    @Override
    public Map<MetricKey, UsageTotals> totals(UserId user, BillingPeriod period) {
        List<RollupTable.Row> rows = db.read(handle -> new RollupTable(handle).ofPeriod(user.value(), period.start(),
                period.end()));
        Map<MetricKey, UsageTotals> totals = new TreeMap<>();
        rows.forEach(row -> totals.put(new MetricKey(row.metric()), new UsageTotals(row.used(), row.reserved())));
        return totals;
    }

    @Override
    public UsageTotals totals(UserId user, MetricKey metric, BillingPeriod period) {
        return db.read(handle -> new RollupTable(handle).find(user.value(),
                        period.start(), period.end(), metric.value()))
                .map(row -> new UsageTotals(row.used(), row.reserved()))
                .orElse(UsageTotals.ZERO);
    }

    @Override
    public SortedMap<Instant, BigDecimal> usageBySlice(UserId user, MetricKey metric, BillingPeriod period,
                                                       Duration slice) {
        long nanos = slice.toNanos();
        List<FactTable.SliceRow> rows = db.read(handle -> new FactTable(handle)
                .slices(user.value(), metric.value(), period.start(), period.end(), nanos));
        SortedMap<Instant, BigDecimal> sums = new TreeMap<>();
        // Stored instants are nanoseconds since the epoch from 1970 on, so the division truncates down.
        rows.forEach(row -> sums.put(Instants.fromNanos(row.slice() * nanos), row.quantity()));
        return sums;
    }

    @Override
    public List<UsageRecord> records(UserId user, MetricKey metric, BillingPeriod period) {
        return db.read(handle -> new MeterTable(handle).facts(user.value(), metric.value(), period.start(),
                period.end())).stream().map(fact -> record(user, metric, fact)).toList();
    }

    /** A stored fact as the record a meter reads (its key is not read back). */
    private static UsageRecord record(UserId user, MetricKey metric, MeterTable.Fact fact) {
        return new UsageRecord(user, metric, fact.quantity(), fact.occurredAt(), new IdempotencyKey("stored"),
                Json.parseObject(fact.dimensions()));
    }

    @Override
    public List<PeriodTotals> rollupsAt(Instant at) {
        return db.read(handle -> new RollupTable(handle).currentAt(at)).stream()
                .map(row -> new PeriodTotals(new UserId(row.user()), new MetricKey(row.metric()),
                        new BillingPeriod(row.periodStart(), row.periodEnd()),
                        new UsageTotals(row.used(), row.reserved())))
                .toList();
    }

    @Override
    public ReserveResult hold(UserId user, String reservationId, MetricKey metric, BigDecimal quantity, Instant at,
                              Instant expiresAt, BillingPeriod period, Limit limit, MetricBound bound) {
        return db.inTransaction(handle -> {
            HoldTable holds = Db.attach(handle, HoldTable.class);
            String u = user.value();
            Tables writes = Tables.on(handle);
            Rollup rollup = new Rollup(metric, period);
            Undo undo = new Undo(user);
            Admission admission = limit.admission(quantity);
            Optional<ReserveResult> refused = add(writes, user, rollup, admission,
                    () -> writes.rollups().addReserved(u, rollup, admission), () -> undo.created(rollup))
                    .<ReserveResult>map(denied -> denied)
                    .or(() -> countCreated(writes, user, undo.created().isEmpty() ? List.of()
                            : List.of(new MetricsFull.Added(metric, period)), bound));
            if (refused.isPresent()) {
                undo.apply(writes);
                return refused.get();
            }
            boolean inserted = holds.insert(u, reservationId, metric.value(), quantity, at, period.start(),
                    period.end()) == 1;
            if (!inserted && holds.reuse(u, reservationId, metric.value(), quantity, at, period.start(),
                    period.end()) == 0) {
                throw new IllegalStateException("reservation " + reservationId + " is already held");
            }
            holds.expiresAt(u, reservationId, Instants.toNanos(expiresAt));
            return new ReserveResult.Reserved();
        });
    }

    @Override
    public Optional<Reservation> reservation(UserId user, String reservationId) {
        return db.read(handle -> Db.attach(handle, HoldTable.class).find(user.value(), reservationId));
    }

    @Override
    public Optional<AppendResult.Raised> commit(UserId user, String reservationId, BigDecimal quantity,
                                                String idempotencyKey, Instant now) {
        return db.inTransaction(handle -> {
            HoldTable holds = Db.attach(handle, HoldTable.class);
            RollupTable rollups = new RollupTable(handle);
            String u = user.value();
            if (holds.endLive(u, reservationId, "consumed", quantity, now) == 0) {
                return Optional.empty();
            }
            HoldTable.Filed held = holds.filed(u, reservationId).orElseThrow();
            BillingPeriod period = new BillingPeriod(held.periodStart(), held.periodEnd());
            MetricKey metric = new MetricKey(held.metric());
            if (quantity.signum() > 0) {
                UsageRecord record = new UsageRecord(user, metric, quantity, held.reservedAt(),
                        new IdempotencyKey(idempotencyKey), Map.of("reservation_id", reservationId));
                if (insertFacts(Tables.on(handle), user, List.of(new PeriodRecord(record, period))).fresh()
                        .isEmpty()) {
                    throw new IllegalStateException("usage of " + user + " already has idempotency key "
                            + idempotencyKey);
                }
            }
            rollups.moveReserved(u, held.periodStart(), held.periodEnd(), held.metric(), held.quantity(), quantity);
            // This transaction holds the rollup's row lock since the update: the used read is the one it left.
            BigDecimal used = rollups.find(u, held.periodStart(), held.periodEnd(), held.metric()).orElseThrow().used();
            if (quantity.signum() > 0) {
                // The committed record feeds the meters of its metric like any record (R81).
                Tables writes = Tables.on(handle);
                UsageRecord record = new UsageRecord(user, metric, quantity, held.reservedAt(),
                        new IdempotencyKey(idempotencyKey), Map.of("reservation_id", reservationId));
                Meter.fed(writes.meters().all(), record).forEach(meter -> reconcileMeter(writes, meter, u, period,
                        true));
            }
            return Optional.of(new AppendResult.Raised(metric, period, quantity, used));
        });
    }

    @Override
    public boolean settle(UserId user, String reservationId, BigDecimal quantity, Instant now, Runnable record) {
        return db.inTransaction(handle -> {
            String u = user.value();
            HoldTable holds = Db.attach(handle, HoldTable.class);
            if (holds.endLive(u, reservationId, "consumed", quantity, now) == 0) {
                return false;
            }
            HoldTable.Filed held = holds.filed(u, reservationId).orElseThrow();
            // The rollup's row stays locked until this transaction ends: no hold comes between.
            new RollupTable(handle).moveReserved(u, held.periodStart(), held.periodEnd(), held.metric(), held.quantity(),
                    BigDecimal.ZERO);
            record.run();
            return true;
        });
    }

    @Override
    public boolean release(UserId user, String reservationId, Instant now) {
        return db.inTransaction(handle -> {
            String u = user.value();
            HoldTable holds = Db.attach(handle, HoldTable.class);
            if (holds.endLive(u, reservationId, "released", null, now) == 0) {
                return false;
            }
            HoldTable.Filed held = holds.filed(u, reservationId).orElseThrow();
            new RollupTable(handle).moveReserved(u, held.periodStart(), held.periodEnd(), held.metric(), held.quantity(),
                    BigDecimal.ZERO);
            return true;
        });
    }

    @Override
    public int expire(UserId user, MetricKey metric, BillingPeriod period, Instant now) {
        return db.inTransaction(handle -> {
            HoldTable reservations = Db.attach(handle, HoldTable.class);
            RollupTable rollups = new RollupTable(handle);
            String u = user.value();
            int ended = 0;
            for (HoldTable.Due due : reservations.due(u, metric.value(), period.start(), period.end(), now)) {
                if (reservations.markExpired(u, due.id()) == 1) {
                    rollups.moveReserved(u, period.start(), period.end(), metric.value(), due.quantity(),
                            BigDecimal.ZERO);
                    ended++;
                }
            }
            return ended;
        });
    }

    @Override
    public Map<MetricKey, BigDecimal> expired(UserId user, BillingPeriod period, Instant now) {
        Map<MetricKey, BigDecimal> expired = new TreeMap<>();
        db.read(handle -> Db.attach(handle, HoldTable.class)
                        .expired(user.value(), period.start(), period.end(), now))
                .forEach(row -> expired.put(new MetricKey(row.metric()), row.quantity()));
        return expired;
    }

    @Override
    public void refile(UserId user, Function<Instant, BillingPeriod> periodOf) {
        db.inTransaction(handle -> {
            FactTable factTable = new FactTable(handle);
            HoldTable holds = Db.attach(handle, HoldTable.class);
            RollupTable.Sql rollups = new RollupTable(handle).sql();
            PeriodMetricTable.Sql metrics = new PeriodMetricTable(handle).sql();
            String u = user.value();
            Refiling facts = new Refiling(periodOf);
            factTable.filings(u).forEach(facts::add);
            facts.flush(factTable::refile);
            Refiling held = new Refiling(periodOf);
            holds.heldFilings(u).forEach(held::add);
            held.flush(rows -> holds.refile(u, rows));
            rollups.deleteAll(u);
            rollups.rebuild(u);
            rebuildMeters(Tables.on(handle), u);
            metrics.deleteAll(u);
            metrics.recount(u);
            return null;
        });
    }

    @Override
    public ReconcileReport reconcile(boolean repair, ReconcileProgress progress) {
        List<String> users = db.read(handle -> new RollupTable(handle).sql().ledgerUsers());
        List<ReconcileReport.Drift> drifts = new ArrayList<>();
        long checked = 0;
        long done = 0;
        progress.update(0, users.size());
        for (String user : users) {
            List<RollupTable.Comparison> rows = db.inTransaction(handle -> reconcileUser(handle, user, repair));
            checked += rows.size();
            for (RollupTable.Comparison row : rows) {
                if (row.drifted()) {
                    drifts.add(new ReconcileReport.Drift(new UserId(user), new MetricKey(row.metric()),
                            row.periodStart(), row.storedUsed(), row.factUsed(), row.storedReserved(),
                            row.openReserved()));
                }
            }
            progress.update(++done, users.size());
        }
        return new ReconcileReport(checked, drifts, repair);
    }

    /** Compares (and with {@code repair} overwrites) one user's rollups, its rows locked first. */
    private static List<RollupTable.Comparison> reconcileUser(Handle handle, String user, boolean repair) {
        RollupTable.Sql dao = new RollupTable(handle).sql();
        if (repair) {
            dao.lockAll(user);
        }
        List<RollupTable.Comparison> rows = dao.compare(user);
        if (repair) {
            for (RollupTable.Comparison row : rows) {
                if (!row.drifted()) {
                    continue;
                }
                BigDecimal used = row.factUsed();
                BigDecimal reserved = row.openReserved();
                if (!row.stored()) {
                    // A missing row may be created meanwhile by an append whose facts the comparison
                    // did not see: create it or wait for its creator, lock it, and count again.
                    Tables writes = Tables.on(handle);
                    if (writes.rollups().ensure(user, row.periodStart(), row.periodEnd(), row.metric())) {
                        writes.metrics().add(user, row.periodStart(), row.periodEnd(), 1, OptionalInt.empty());
                    }
                    dao.lock(user, row.periodStart(), row.periodEnd(), row.metric());
                    RollupTable.Row now = dao.recount(user, row.periodStart(), row.periodEnd(), row.metric());
                    used = now.used();
                    reserved = now.reserved();
                }
                dao.overwrite(user, row.periodStart(), row.periodEnd(), row.metric(), used, reserved);
            }
        }
        return rows;
    }

    /** Periods in the order their rows are locked: by start, then end. */
    private static final Comparator<BillingPeriod> PERIOD_ORDER = Comparator.comparing(BillingPeriod::start)
            .thenComparing(BillingPeriod::end);

    /** The tables an append or a hold writes, on one handle, in its transaction. */
    private record Tables(FactTable facts, RollupTable rollups, PeriodMetricTable metrics, MeterTable meters) {
        static Tables on(Handle handle) {
            return new Tables(new FactTable(handle), new RollupTable(handle), new PeriodMetricTable(handle),
                    new MeterTable(handle));
        }
    }

    @Override
    public List<Meter> meters() {
        return db.read(handle -> new MeterTable(handle).all());
    }

    @Override
    public Optional<Meter> meter(MetricKey key) {
        return db.read(handle -> new MeterTable(handle).find(key.value()));
    }

    @Override
    public long metersVersion() {
        GroupedAppends group = GroupedAppends.active(db);
        if (group != null) {
            return group.metersVersion();
        }
        return db.read(handle -> new MeterTable(handle).version());
    }

    @Override
    public PutMeter putMeter(Meter meter, Instant at) {
        return db.inTransaction(handle -> {
            MeterTable meters = new MeterTable(handle);
            // Every definition is written under the catalog's row lock, one at a time; a refusal
            // rolls nothing back but the version, which only makes readers look again.
            meters.lockCatalog();
            Optional<Meter> stored = meters.find(meter.key().value());
            if (stored.isPresent() && stored.get().equals(meter)) {
                return PutMeter.UNCHANGED;
            }
            if (stored.isPresent() && !stored.get().sameDefinition(meter) && meters.recorded(meter.key().value())) {
                return PutMeter.IN_USE;
            }
            if (meters.find(meter.source().value()).isPresent()) {
                return PutMeter.SOURCE_IS_METER;
            }
            if (meters.isSource(meter.key().value())) {
                return PutMeter.KEY_IS_SOURCE;
            }
            if (stored.isEmpty() && meters.recorded(meter.key().value())) {
                return PutMeter.KEY_RECORDED;
            }
            if (stored.isEmpty() && meters.countOfSource(meter.source().value()) >= Meter.MAX_PER_SOURCE) {
                return PutMeter.TOO_MANY;
            }
            if (stored.isPresent()) {
                meters.update(meter);
                return PutMeter.UPDATED;
            }
            meters.insert(meter, at);
            return PutMeter.CREATED;
        });
    }

    @Override
    public ReconcileReport reconcileMeters(Optional<MetricKey> only, Instant since, boolean repair) {
        List<ReconcileReport.Drift> drifts = new ArrayList<>();
        long checked = 0;
        for (Meter meter : meters()) {
            if (only.isPresent() && !only.get().equals(meter.key())) {
                continue;
            }
            List<Object[]> periods = db.read(handle -> new MeterTable(handle).periods(meter.source().value(),
                    meter.key().value(), since));
            for (Object[] period : periods) {
                checked++;
                db.inTransaction(handle -> reconcileMeter(Tables.on(handle), meter, (String) period[0],
                        new BillingPeriod((Instant) period[1], (Instant) period[2]), repair))
                        .ifPresent(drifts::add);
            }
        }
        return new ReconcileReport(checked, drifts, repair);
    }

    /** Recomputes a user's meter rollups, distinct values and groups from its facts, refiled. */
    private static void rebuildMeters(Tables writes, String user) {
        writes.meters().clearUser(user);
        for (Meter meter : writes.meters().all()) {
            for (BillingPeriod period : writes.meters().periodsOf(user, meter.source().value())) {
                reconcileMeter(writes, meter, user, period, true);
            }
        }
    }

    /**
     * Compares one meter rollup with the fold of its source's facts, locked first so that no
     * write feeds it meanwhile; with {@code repair}, writes the fold's value, distinct values and groups.
     */
    private static Optional<ReconcileReport.Drift> reconcileMeter(Tables writes, Meter meter, String user,
                                                                 BillingPeriod period, boolean repair) {
        Rollup rollup = new Rollup(meter.key(), period);
        if (writes.rollups().ensure(user, period.start(), period.end(), meter.key().value())) {
            writes.metrics().add(user, period.start(), period.end(), 1, OptionalInt.empty());
        }
        MeterDecision.State stored = writes.meters().locked(user, rollup);
        List<UsageRecord> records = writes.meters().facts(user, meter.source().value(), period.start(), period.end())
                .stream().map(fact -> record(new UserId(user), meter.source(), fact)).toList();
        dev.tally.application.port.MeterFold fold = dev.tally.application.port.MeterFold.of(meter, records);
        MeterDecision.State truth = fold.whole().state();
        boolean same = truth.value().compareTo(stored.value()) == 0 && truth.latestAt().equals(stored.latestAt())
                && (!fold.unique() || fold.whole().distinct().equals(writes.meters().distinct(user, rollup,
                MeterTable.OWN)))
                && sameGroups(writes, user, rollup, fold);
        if (same) {
            return Optional.empty();
        }
        if (repair) {
            writes.meters().reset(user, rollup, truth);
            writes.meters().clear(user, rollup);
            writes.meters().addDistinct(user, rollup, MeterTable.OWN, List.copyOf(fold.whole().distinct()));
            fold.groups().forEach((group, part) -> writeGroup(writes, user, rollup, groupKey(group), part));
            fold.other().ifPresent(part -> writeGroup(writes, user, rollup, MeterTable.OTHER, part));
        }
        return Optional.of(new ReconcileReport.Drift(new UserId(user), meter.key(), period.start(), stored.value(),
                truth.value(), stored.reserved(), stored.reserved()));
    }

    private static void writeGroup(Tables writes, String user, Rollup rollup, String key,
                                   dev.tally.application.port.MeterFold.Part part) {
        writes.meters().putGroup(user, rollup, key, part.state(), false);
        writes.meters().addDistinct(user, rollup, key, List.copyOf(part.distinct()));
    }

    private static boolean sameGroups(Tables writes, String user, Rollup rollup,
                                      dev.tally.application.port.MeterFold fold) {
        Map<String, BigDecimal> expected = new HashMap<>();
        fold.groups().forEach((group, part) -> expected.put(groupKey(group), part.state().value()));
        fold.other().ifPresent(part -> expected.put(MeterTable.OTHER, part.state().value()));
        Map<String, BigDecimal> stored = new HashMap<>();
        writes.meters().groups(user, rollup).forEach(row -> stored.put(row.getKey(), row.getValue()));
        if (!expected.keySet().equals(stored.keySet())) {
            return false;
        }
        return expected.entrySet().stream().allMatch(e -> e.getValue().compareTo(stored.get(e.getKey())) == 0);
    }

    /** The stored key of a group: its dimensions and values, as {@link Strings} writes a list. */
    private static String groupKey(Map<String, String> group) {
        List<String> pairs = new ArrayList<>();
        group.forEach((dimension, value) -> {
            pairs.add(dimension);
            pairs.add(value);
        });
        return Strings.join(pairs);
    }

    @Override
    public List<MeterGroup> meterGroups(UserId user, MetricKey meter, BillingPeriod period) {
        Optional<Meter> defined = meter(meter);
        if (defined.isEmpty()) {
            return List.of();
        }
        return db.read(handle -> new MeterTable(handle).groups(user.value(), new Rollup(meter, period))).stream()
                .map(row -> {
                    if (row.getKey().equals(MeterTable.OTHER)) {
                        return new MeterGroup(Map.of(), true, row.getValue());
                    }
                    List<String> pairs = Strings.split(row.getKey());
                    Map<String, String> group = new java.util.LinkedHashMap<>();
                    for (int i = 0; i + 1 < pairs.size(); i += 2) {
                        group.put(pairs.get(i), pairs.get(i + 1));
                    }
                    return new MeterGroup(group, false, row.getValue());
                })
                .toList();
    }

    /** Collects the filings whose period changes and writes them in batches. */
    private static final class Refiling {

        private final Function<Instant, BillingPeriod> periodOf;
        private final List<Filing.Moved> moved = new ArrayList<>();

        Refiling(Function<Instant, BillingPeriod> periodOf) {
            this.periodOf = periodOf;
        }

        void add(Filing filing) {
            BillingPeriod period = periodOf.apply(filing.at());
            if (!period.start().equals(filing.periodStart()) || !period.end().equals(filing.periodEnd())) {
                moved.add(new Filing.Moved(filing.id(), period.start(), period.end()));
            }
        }

        void flush(Consumer<List<Filing.Moved>> writer) {
            for (int from = 0; from < moved.size(); from += REFILE_BATCH) {
                writer.accept(moved.subList(from, Math.min(from + REFILE_BATCH, moved.size())));
            }
        }
    }
}
