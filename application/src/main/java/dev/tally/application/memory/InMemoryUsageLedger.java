package dev.tally.application.memory;

import dev.tally.application.port.ExportPosition;
import dev.tally.application.port.ExportRow;
import dev.tally.application.port.VoidOutcome;
import dev.tally.application.usage.DimensionsText;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.BatchPlan;
import dev.tally.application.port.Denied;
import dev.tally.application.port.MeterFold;
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
import dev.tally.domain.usage.ReservationState;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageSeries;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The usage ledger in memory: facts, open reservations and rollups per user. All writes of one
 * user happen under that user's lock, so check-and-record is atomic (R13) while different users
 * never wait for each other. A meter's rollup keeps, beside its value, the instant of its latest
 * record and its period's distinct values, and its groups are kept the same way (R81–R83).
 */
public final class InMemoryUsageLedger implements UsageLedger {

    private final Map<UserId, UserLedger> users = new ConcurrentHashMap<>();
    private final Map<MetricKey, Meter> meters = new TreeMap<>();
    private long metersVersion;

    /** The order facts are stored in, across users. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    @Override
    public VoidOutcome voidRecord(UserId user, IdempotencyKey key, String reason, Instant at, Instant closedBefore) {
        // Read before the user's lock: putMeter takes this ledger's lock, then the users'.
        List<Meter> defined = meters();
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            int row = ledger.facts.find(key.value());
            if (row < 0) {
                return new VoidOutcome.NotFound();
            }
            FactColumns facts = ledger.facts;
            ExportRow.Voided earlier = ledger.voids.get(row);
            BatchPlan.Rollup rollup = new BatchPlan.Rollup(facts.metric(row), facts.period(row));
            if (earlier != null) {
                return voided(facts, row, earlier, false, ledger.rollup(rollup).used);
            }
            if (facts.period(row).end().isBefore(closedBefore)) {
                return new VoidOutcome.PeriodClosed(facts.period(row));
            }
            ExportRow.Voided now = new ExportRow.Voided(reason, at);
            ledger.voids.put(row, now);
            BigDecimal usedAfter = ledger.takeBack(row);
            UsageRecord record = facts.record(row, user);
            List<VoidOutcome.Changed> changed = new ArrayList<>();
            changed.add(new VoidOutcome.Changed(record.metric(), usedAfter.add(record.quantity()), usedAfter));
            for (Meter meter : Meter.fed(defined, record)) {
                ledger.refold(meter, facts.period(row)).ifPresent(changed::add);
            }
            return voided(facts, row, now, true, usedAfter, changed);
        }
    }

    private static VoidOutcome.Voided voided(FactColumns facts, int row, ExportRow.Voided voided, boolean now,
                                             BigDecimal usedAfter) {
        return voided(facts, row, voided, now, usedAfter, List.of());
    }

    private static VoidOutcome.Voided voided(FactColumns facts, int row, ExportRow.Voided voided, boolean now,
                                             BigDecimal usedAfter, List<VoidOutcome.Changed> changed) {
        return new VoidOutcome.Voided(new IdempotencyKey(facts.key(row)), facts.metric(row), facts.quantity(row),
                facts.occurredAt(row), facts.period(row), voided.reason(), voided.voidedAt(), now, usedAfter,
                changed);
    }

    /** Gathers the matching facts of every user (this storage holds them all in memory anyway), then sorts them. */
    @Override
    public List<ExportRow> exportPage(Optional<UserId> user, Instant from, Instant to, Optional<ExportPosition> after,
                                      int limit) {
        List<ExportRow> rows = new ArrayList<>();
        for (Map.Entry<UserId, UserLedger> entry : users.entrySet()) {
            if (user.isPresent() && !user.get().equals(entry.getKey())) {
                continue;
            }
            UserLedger ledger = entry.getValue();
            synchronized (ledger) {
                FactColumns facts = ledger.facts;
                for (int row = 0; row < facts.size(); row++) {
                    if (facts.occurredBefore(row, from) || !facts.occurredBefore(row, to)) {
                        continue;
                    }
                    ExportPosition position = new ExportPosition(facts.occurredAt(row), facts.sequence(row));
                    if (after.filter(a -> position.compareTo(a) <= 0).isPresent()) {
                        continue;
                    }
                    rows.add(new ExportRow(position, entry.getKey(), new IdempotencyKey(facts.key(row)),
                            facts.metric(row), facts.quantity(row), position.occurredAt(),
                            DimensionsText.of(facts.dimensions(row)), Optional.ofNullable(ledger.voids.get(row))));
                }
            }
        }
        rows.sort(Comparator.comparing(ExportRow::position));
        return List.copyOf(rows.subList(0, Math.min(limit, rows.size())));
    }

    private UserLedger ledger(UserId user) {
        return users.computeIfAbsent(user, UserLedger::new);
    }

    @Override
    public AppendResult append(UserId user, List<PeriodRecord> records, Map<MetricKey, Limit> enforce,
                               Set<MetricKey> watch, MetricBound bound, List<Meter> fed) {
        BatchPlan plan = BatchPlan.of(records, enforce, watch, fed);
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            List<PeriodRecord> fresh = new ArrayList<>();
            List<PeriodRecord> stored = new ArrayList<>();
            for (PeriodRecord entry : plan.candidates()) {
                (ledger.facts.find(key(entry)) >= 0 ? stored : fresh).add(entry);
            }
            Optional<AppendResult.KeyReused> reused = plan.reused(stored,
                    entry -> ledger.facts.fingerprint(ledger.facts.find(key(entry))));
            if (reused.isPresent()) {
                return reused.get();
            }
            List<BatchPlan.Raise> raises = plan.raises(fresh);
            List<Denied> denials = new ArrayList<>();
            for (BatchPlan.Raise raise : raises) {
                Rollup held = ledger.rollups.getOrDefault(raise.rollup(), new Rollup());
                UsageTotals current = held.totals();
                if (raise.decided()) {
                    if (raise.decide(held.state(), held.distinct::contains) instanceof MeterDecision.Refused refused) {
                        denials.add(plan.refused(raise, refused, held.state()));
                    }
                } else if (!raise.admission().admits(current.used(), current.reserved())) {
                    denials.add(raise.denied(current));
                }
            }
            if (!denials.isEmpty()) {
                return plan.firstOffending(fresh, denials);
            }
            Optional<MetricsFull> full = MetricsFull.firstRefused(
                    plan.added(fresh, rollup -> !ledger.rollups.containsKey(rollup)), ledger::metricsIn, bound);
            if (full.isPresent()) {
                return full.get();
            }
            Map<BatchPlan.Rollup, BigDecimal> before = new HashMap<>();
            raises.forEach(raise -> before.put(raise.rollup(),
                    ledger.rollups.getOrDefault(raise.rollup(), new Rollup()).used));
            // Stored in the plan's order (by key), as the SQL storages store them: what "arrival" means
            // for a latest meter's ties and for an export's order within one batch.
            for (PeriodRecord entry : fresh) {
                Fact fact = new Fact(entry.record(), entry.fingerprint(), entry.period());
                ledger.store(fact);
                ledger.feed(fact.record, fact.period, Meter.fed(fed, entry.record()));
            }
            List<AppendResult.Raised> raised = new ArrayList<>();
            raises.stream().filter(BatchPlan.Raise::watched).forEach(raise -> {
                BigDecimal after = ledger.rollups.get(raise.rollup()).used;
                raised.add(new AppendResult.Raised(raise.rollup().metric(), raise.rollup().period(),
                        after.subtract(before.get(raise.rollup())), after));
            });
            return plan.appended(fresh, stored.size(), raised);
        }
    }

    private static String key(PeriodRecord entry) {
        return entry.record().idempotencyKey().value();
    }

    @Override
    public Map<MetricKey, UsageTotals> totals(UserId user, BillingPeriod period) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            Map<MetricKey, UsageTotals> totals = new TreeMap<>();
            ledger.rollups.forEach((key, rollup) -> {
                if (key.period().equals(period)) {
                    totals.put(key.metric(), rollup.totals());
                }
            });
            return totals;
        }
    }

    @Override
    public SortedMap<Instant, BigDecimal> usageBySlice(UserId user, MetricKey metric, BillingPeriod period,
                                                       Duration slice) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            SortedMap<Instant, BigDecimal> sums = new TreeMap<>();
            Rows rows = ledger.factsByRollup.getOrDefault(new BatchPlan.Rollup(metric, period), Rows.NONE);
            for (int i = 0; i < rows.size; i++) {
                int row = rows.rows[i];
                if (ledger.voids.containsKey(row)) {
                    continue;
                }
                sums.merge(UsageSeries.sliceStart(ledger.facts.occurredAt(row), slice), ledger.facts.quantity(row),
                        BigDecimal::add);
            }
            return sums;
        }
    }

    @Override
    public List<UsageRecord> records(UserId user, MetricKey metric, BillingPeriod period) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            return ledger.live(new BatchPlan.Rollup(metric, period));
        }
    }

    @Override
    public UsageTotals totals(UserId user, MetricKey metric, BillingPeriod period) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            Rollup rollup = ledger.rollups.get(new BatchPlan.Rollup(metric, period));
            return rollup == null ? UsageTotals.ZERO : rollup.totals();
        }
    }

    @Override
    public List<PeriodTotals> rollupsAt(Instant at) {
        List<PeriodTotals> current = new ArrayList<>();
        users.forEach((user, ledger) -> {
            synchronized (ledger) {
                ledger.rollups.forEach((key, rollup) -> {
                    if (key.period().contains(at) && (rollup.used.signum() != 0 || rollup.reserved.signum() != 0)) {
                        current.add(new PeriodTotals(user, key.metric(), key.period(), rollup.totals()));
                    }
                });
            }
        });
        return current;
    }

    @Override
    public ReserveResult hold(UserId user, String reservationId, MetricKey metric, BigDecimal quantity, Instant at,
                              Instant expiresAt, BillingPeriod period, Limit limit, MetricBound bound) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            if (ledger.reservations.containsKey(reservationId)) {
                throw new IllegalStateException("reservation " + reservationId + " is already held");
            }
            BatchPlan.Rollup key = new BatchPlan.Rollup(metric, period);
            UsageTotals current = ledger.rollups.getOrDefault(key, new Rollup()).totals();
            Admission admission = limit.admission(quantity);
            if (!admission.admits(current.used(), current.reserved())) {
                return Denied.of(metric, period, current, admission);
            }
            if (!ledger.rollups.containsKey(key)) {
                Optional<MetricsFull> full = MetricsFull.firstRefused(List.of(new MetricsFull.Added(metric, period)),
                        ledger::metricsIn, bound);
                if (full.isPresent()) {
                    return full.get();
                }
            }
            Rollup rollup = ledger.rollup(key);
            rollup.reserved = rollup.reserved.add(quantity);
            ledger.ended.remove(reservationId);
            ledger.reservations.put(reservationId, new Held(metric, quantity, at, expiresAt, period));
            return new ReserveResult.Reserved();
        }
    }

    @Override
    public Optional<Reservation> reservation(UserId user, String reservationId) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            Held held = ledger.reservations.get(reservationId);
            if (held != null) {
                return Optional.of(held.as(reservationId, ReservationState.HELD, Optional.empty()));
            }
            return Optional.ofNullable(ledger.ended.get(reservationId));
        }
    }

    @Override
    public boolean release(UserId user, String reservationId, Instant now) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            return ledger.heldAt(reservationId, now)
                    && ledger.end(reservationId, ReservationState.RELEASED, BigDecimal.ZERO, null);
        }
    }

    @Override
    public Optional<AppendResult.Raised> commit(UserId user, String reservationId, BigDecimal quantity,
                                                String idempotencyKey, Instant now) {
        List<Meter> defined = meters();
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            Held held = ledger.reservations.get(reservationId);
            Fact fact = held == null || quantity.signum() == 0 ? null
                    : fact(user, reservationId, held, quantity, idempotencyKey);
            if (!ledger.heldAt(reservationId, now) || !ledger.end(reservationId, ReservationState.COMMITTED, quantity,
                    fact)) {
                return Optional.empty();
            }
            if (fact != null) {
                // The committed record feeds the meters of its metric like any record (R81).
                Meter.fed(defined, fact.record).forEach(meter -> ledger.refold(meter, held.period));
            }
            return Optional.of(new AppendResult.Raised(held.metric, held.period, quantity,
                    ledger.rollup(new BatchPlan.Rollup(held.metric, held.period)).used));
        }
    }

    @Override
    public boolean settle(UserId user, String reservationId, BigDecimal quantity, Instant now, Runnable record) {
        UserLedger ledger = ledger(user);
        // The user's lock is held while record appends (re-entering it), so no hold comes between.
        synchronized (ledger) {
            if (!ledger.heldAt(reservationId, now)
                    || !ledger.end(reservationId, ReservationState.COMMITTED, quantity, null)) {
                return false;
            }
            record.run();
            return true;
        }
    }

    @Override
    public int expire(UserId user, MetricKey metric, BillingPeriod period, Instant now) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            List<String> due = new ArrayList<>();
            ledger.reservations.forEach((id, held) -> {
                if (held.metric.equals(metric) && held.period.equals(period)
                        && held.stateAt(id, now) == ReservationState.EXPIRED) {
                    due.add(id);
                }
            });
            due.forEach(id -> ledger.end(id, ReservationState.EXPIRED, BigDecimal.ZERO, null));
            return due.size();
        }
    }

    @Override
    public Map<MetricKey, BigDecimal> expired(UserId user, BillingPeriod period, Instant now) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            Map<MetricKey, BigDecimal> expired = new TreeMap<>();
            ledger.reservations.forEach((id, held) -> {
                if (held.period.equals(period) && held.stateAt(id, now) == ReservationState.EXPIRED) {
                    expired.merge(held.metric, held.quantity, BigDecimal::add);
                }
            });
            return expired;
        }
    }

    /** The fact a commit records: {@code quantity} of the hold's metric at the hold's instant. */
    private static Fact fact(UserId user, String reservationId, Held held, BigDecimal quantity, String idempotencyKey) {
        UsageRecord record = new UsageRecord(user, held.metric, quantity, held.at, new IdempotencyKey(idempotencyKey),
                Map.of("reservation_id", reservationId));
        return new Fact(record, new PeriodRecord(record, held.period).fingerprint(), held.period);
    }

    @Override
    public void refile(UserId user, Function<Instant, BillingPeriod> periodOf) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            FactColumns facts = ledger.facts;
            ledger.factsByRollup.clear();
            ledger.rollups.clear();
            ledger.metricsByPeriod.clear();
            List<Meter> defined = meters();
            for (int row = 0; row < facts.size(); row++) {
                facts.period(row, periodOf.apply(facts.occurredAt(row)));
                ledger.index(row);
                // A voided record feeds no meter, as its void took back what it fed (R92).
                if (ledger.voids.containsKey(row)) {
                    ledger.takeBack(row);
                } else {
                    UsageRecord record = facts.record(row, user);
                    ledger.feed(record, facts.period(row), Meter.fed(defined, record));
                }
            }
            Map<String, Held> held = new LinkedHashMap<>(ledger.reservations);
            ledger.reservations.clear();
            held.forEach((id, r) -> {
                Held moved = new Held(r.metric, r.quantity, r.at, r.expiresAt, periodOf.apply(r.at));
                ledger.reservations.put(id, moved);
                Rollup rollup = ledger.rollup(new BatchPlan.Rollup(moved.metric, moved.period));
                rollup.reserved = rollup.reserved.add(moved.quantity);
            });
        }
    }

    @Override
    public ReconcileReport reconcile(boolean repair, ReconcileProgress progress) {
        List<ReconcileReport.Drift> drifts = new ArrayList<>();
        long checked = 0;
        List<UserId> ids = new ArrayList<>(users.keySet());
        List<Meter> defined = meters();
        long done = 0;
        for (UserId user : ids) {
            UserLedger ledger = users.get(user);
            synchronized (ledger) {
                Map<BatchPlan.Rollup, Rollup> expected = new HashMap<>();
                FactColumns facts = ledger.facts;
                for (int row = 0; row < facts.size(); row++) {
                    if (ledger.voids.containsKey(row)) {
                        continue;
                    }
                    Rollup rollup = expected.computeIfAbsent(new BatchPlan.Rollup(facts.metric(row), facts.period(row)),
                            k -> new Rollup());
                    rollup.used = rollup.used.add(facts.quantity(row));
                }
                for (Held reservation : ledger.reservations.values()) {
                    Rollup rollup = expected.computeIfAbsent(new BatchPlan.Rollup(reservation.metric, reservation.period), k -> new Rollup());
                    rollup.reserved = rollup.reserved.add(reservation.quantity);
                }
                Set<BatchPlan.Rollup> keys = new HashSet<>(expected.keySet());
                keys.addAll(ledger.rollups.keySet());
                // Meters' rollups are reconciled by reconcileMeters, against their sources' facts.
                keys.removeIf(key -> defined.stream().anyMatch(meter -> meter.key().equals(key.metric())));
                for (BatchPlan.Rollup key : keys) {
                    checked++;
                    Rollup stored = ledger.rollups.getOrDefault(key, new Rollup());
                    Rollup truth = expected.getOrDefault(key, new Rollup());
                    if (stored.used.compareTo(truth.used) != 0 || stored.reserved.compareTo(truth.reserved) != 0) {
                        drifts.add(new ReconcileReport.Drift(user, key.metric(), key.period().start(), stored.used,
                                truth.used, stored.reserved, truth.reserved));
                        if (repair) {
                            Rollup fixed = ledger.rollup(key);
                            fixed.used = truth.used;
                            fixed.reserved = truth.reserved;
                        }
                    }
                }
            }
            progress.update(++done, ids.size());
        }
        return new ReconcileReport(checked, drifts, repair);
    }

    @Override
    public synchronized List<Meter> meters() {
        return List.copyOf(meters.values());
    }

    @Override
    public synchronized Optional<Meter> meter(MetricKey key) {
        return Optional.ofNullable(meters.get(key));
    }

    @Override
    public synchronized long metersVersion() {
        return metersVersion;
    }

    @Override
    public synchronized PutMeter putMeter(Meter meter, Instant at) {
        Meter stored = meters.get(meter.key());
        if (stored != null && stored.equals(meter)) {
            return PutMeter.UNCHANGED;
        }
        if (stored != null && !stored.sameDefinition(meter) && recorded(meter.key())) {
            return PutMeter.IN_USE;
        }
        if (meters.containsKey(meter.source())) {
            return PutMeter.SOURCE_IS_METER;
        }
        if (meters.values().stream().anyMatch(m -> m.source().equals(meter.key()))) {
            return PutMeter.KEY_IS_SOURCE;
        }
        if (stored == null && recorded(meter.key())) {
            return PutMeter.KEY_RECORDED;
        }
        if (stored == null && meters.values().stream().filter(m -> m.source().equals(meter.source())).count()
                >= Meter.MAX_PER_SOURCE) {
            return PutMeter.TOO_MANY;
        }
        meters.put(meter.key(), meter);
        metersVersion++;
        return stored == null ? PutMeter.CREATED : PutMeter.UPDATED;
    }

    /** Whether any user has a rollup of {@code metric} with usage: a meter that recorded, or a recorded metric. */
    private boolean recorded(MetricKey metric) {
        for (UserLedger ledger : users.values()) {
            synchronized (ledger) {
                for (Map.Entry<BatchPlan.Rollup, Rollup> rollup : ledger.rollups.entrySet()) {
                    if (rollup.getKey().metric().equals(metric) && rollup.getValue().used.signum() != 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public ReconcileReport reconcileMeters(Optional<MetricKey> only, Instant since, boolean repair) {
        List<Meter> defined = meters().stream().filter(m -> only.map(m.key()::equals).orElse(true)).toList();
        List<ReconcileReport.Drift> drifts = new ArrayList<>();
        long checked = 0;
        for (Map.Entry<UserId, UserLedger> entry : users.entrySet()) {
            UserLedger ledger = entry.getValue();
            synchronized (ledger) {
                FactColumns facts = ledger.facts;
                List<Integer> recent = new ArrayList<>();
                List<UsageRecord> records = new ArrayList<>();
                for (int row = 0; !defined.isEmpty() && row < facts.size(); row++) {
                    if (facts.period(row).end().isAfter(since) && !ledger.voids.containsKey(row)) {
                        recent.add(row);
                        records.add(facts.record(row, entry.getKey()));
                    }
                }
                for (Meter meter : defined) {
                    Map<BillingPeriod, List<UsageRecord>> byPeriod = new LinkedHashMap<>();
                    for (int i = 0; i < recent.size(); i++) {
                        if (meter.matches(records.get(i))) {
                            byPeriod.computeIfAbsent(facts.period(recent.get(i)), p -> new ArrayList<>())
                                    .add(records.get(i));
                        }
                    }
                    ledger.rollups.keySet().stream()
                            .filter(k -> k.metric().equals(meter.key()) && k.period().end().isAfter(since))
                            .forEach(k -> byPeriod.computeIfAbsent(k.period(), p -> new ArrayList<>()));
                    for (Map.Entry<BillingPeriod, List<UsageRecord>> period : byPeriod.entrySet()) {
                        checked++;
                        BatchPlan.Rollup key = new BatchPlan.Rollup(meter.key(), period.getKey());
                        Rollup truth = Rollup.of(MeterFold.of(meter, period.getValue()));
                        Rollup stored = ledger.rollups.getOrDefault(key, new Rollup());
                        if (!truth.sameAs(stored)) {
                            drifts.add(new ReconcileReport.Drift(entry.getKey(), meter.key(), period.getKey().start(),
                                    stored.used, truth.used, stored.reserved, stored.reserved));
                            if (repair) {
                                truth.reserved = ledger.rollup(key).reserved;
                                ledger.rollups.put(key, truth);
                            }
                        }
                    }
                }
            }
        }
        return new ReconcileReport(checked, drifts, repair);
    }

    @Override
    public List<MeterGroup> meterGroups(UserId user, MetricKey meter, BillingPeriod period) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            Rollup rollup = ledger.rollups.get(new BatchPlan.Rollup(meter, period));
            if (rollup == null) {
                return List.of();
            }
            List<MeterGroup> groups = new ArrayList<>();
            rollup.groups.forEach((group, state) -> groups.add(new MeterGroup(group, false, state.used)));
            if (rollup.other != null) {
                groups.add(new MeterGroup(Map.of(), true, rollup.other.used));
            }
            groups.sort(Comparator.comparing(MeterGroup::value).reversed());
            return groups;
        }
    }

    /**
     * Overwrites a rollup's stored values, leaving the facts alone, so that this package's tests
     * see {@link #reconcile} find and repair drift. Package-private: not part of the port.
     */
    void corruptRollup(UserId user, MetricKey metric, BillingPeriod period, BigDecimal used) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            ledger.rollup(new BatchPlan.Rollup(metric, period)).used = used;
        }
    }

    private static class Rollup {
        BigDecimal used = BigDecimal.ZERO;
        BigDecimal reserved = BigDecimal.ZERO;
        /** A latest meter's: the instant of the record that gave its value. */
        Instant latestAt;
        /** A unique_count meter's: the period's distinct values. */
        final Set<String> distinct = new HashSet<>();
        /** A grouped meter's groups, as many as {@link MeterStore#MAX_GROUPS} ... */
        final Map<Map<String, String>, Rollup> groups = new LinkedHashMap<>();
        /** ... and the group of the records beyond them. */
        Rollup other;

        UsageTotals totals() {
            return new UsageTotals(used, reserved);
        }

        MeterDecision.State state() {
            return new MeterDecision.State(used, reserved, Optional.ofNullable(latestAt));
        }

        /** Takes one matching record into this value as {@code meter} aggregates. */
        void take(Meter meter, UsageRecord record) {
            MeterDecision.Admitted taken = (MeterDecision.Admitted) MeterDecision.decide(meter, Limit.unlimited(),
                    state(), List.of(record), distinct::contains);
            used = taken.after().value();
            latestAt = taken.after().latestAt().orElse(null);
            distinct.addAll(taken.newValues());
        }

        /** The rollup a fold computes. */
        static Rollup of(MeterFold fold) {
            Rollup rollup = of(fold.whole());
            fold.groups().forEach((group, part) -> rollup.groups.put(group, of(part)));
            rollup.other = fold.other().map(Rollup::of).orElse(null);
            return rollup;
        }

        private static Rollup of(MeterFold.Part part) {
            Rollup rollup = new Rollup();
            rollup.used = part.state().value();
            rollup.latestAt = part.state().latestAt().orElse(null);
            rollup.distinct.addAll(part.distinct());
            return rollup;
        }

        /** Whether this meter rollup holds what {@code other} holds: value, latest, distinct values, groups. */
        boolean sameAs(Rollup other) {
            if (used.compareTo(other.used) != 0 || !java.util.Objects.equals(latestAt, other.latestAt)
                    || !distinct.equals(other.distinct) || !groups.keySet().equals(other.groups.keySet())
                    || (this.other == null) != (other.other == null)) {
                return false;
            }
            for (Map.Entry<Map<String, String>, Rollup> group : groups.entrySet()) {
                if (!group.getValue().sameAs(other.groups.get(group.getKey()))) {
                    return false;
                }
            }
            return this.other == null || this.other.sameAs(other.other);
        }

        /** {@link #take}, into the record's group too. */
        void takeGrouped(Meter meter, UsageRecord record) {
            take(meter, record);
            if (!meter.groupBy().isEmpty()) {
                groupOf(meter, record).take(meter, record);
            }
        }

        /** The rollup of the group of {@code record}, or "other" once the groups are full (R83). */
        Rollup groupOf(Meter meter, UsageRecord record) {
            Map<String, String> group = meter.groupOf(record);
            Rollup kept = groups.get(group);
            if (kept != null) {
                return kept;
            }
            if (groups.size() < MeterStore.MAX_GROUPS) {
                Rollup created = new Rollup();
                groups.put(group, created);
                return created;
            }
            if (other == null) {
                other = new Rollup();
            }
            return other;
        }
    }

    /** A fact on its way into a {@link FactColumns}: what is kept of it, before it is taken apart. */
    private record Fact(UsageRecord record, String fingerprint, BillingPeriod period) {
    }

    /** The rows of the facts of one rollup, in the order they were stored. */
    private static final class Rows {
        static final Rows NONE = new Rows();
        int[] rows = new int[4];
        int size;

        void add(int row) {
            if (size == rows.length) {
                rows = java.util.Arrays.copyOf(rows, size + (size >> 1) + 1);
            }
            rows[size++] = row;
        }
    }

    /** A hold not yet ended. */
    private record Held(MetricKey metric, BigDecimal quantity, Instant at, Instant expiresAt, BillingPeriod period) {

        Reservation as(String id, ReservationState state, Optional<BigDecimal> committed) {
            return new Reservation(id, metric, quantity, at, expiresAt, state, committed);
        }

        /** Held or expired at {@code now}, as {@link Reservation#stateAt} says. */
        ReservationState stateAt(String id, Instant now) {
            return as(id, ReservationState.HELD, Optional.empty()).stateAt(now);
        }
    }

    private static final class UserLedger {
        final UserId user;
        /** The facts, in the order their keys were first stored (that order is their row). */
        final FactColumns facts = new FactColumns();
        final Map<BatchPlan.Rollup, Rollup> rollups = new HashMap<>();
        final Map<String, Held> reservations = new HashMap<>();
        /** Reservations that ended, as they ended, so that a late commit or release can be told apart. */
        final Map<String, Reservation> ended = new HashMap<>();
        /** The rows of each rollup's facts, so a period's series reads that period only (R52). */
        final Map<BatchPlan.Rollup, Rows> factsByRollup = new HashMap<>();
        /** How many rollups each period has: its distinct metrics (R67). */
        final Map<BillingPeriod, Long> metricsByPeriod = new HashMap<>();
        /** The voids of records, by the record's row (R92). */
        final Map<Integer, ExportRow.Voided> voids = new HashMap<>();

        UserLedger(UserId user) {
            this.user = user;
        }

        /**
         * Takes back what a record caused (R92): its quantity out of the rollup of its (metric,
         * period). Series and reconcile leave voided facts out where they read them. The one place
         * a void's effects are listed for this storage; answers the rollup's used afterwards.
         */
        BigDecimal takeBack(int row) {
            Rollup rollup = rollup(new BatchPlan.Rollup(facts.metric(row), facts.period(row)));
            rollup.used = rollup.used.subtract(facts.quantity(row));
            return rollup.used;
        }

        /** The records of a (metric, period) that are not void, in the order they were stored. */
        List<UsageRecord> live(BatchPlan.Rollup key) {
            Rows rows = factsByRollup.getOrDefault(key, Rows.NONE);
            List<UsageRecord> records = new ArrayList<>(rows.size);
            for (int i = 0; i < rows.size; i++) {
                if (!voids.containsKey(rows.rows[i])) {
                    records.add(facts.record(rows.rows[i], user));
                }
            }
            return List.copyOf(records);
        }

        /**
         * Recomputes a meter's rollup of {@code period} (value, latest instant, distinct values and
         * groups) from its source's facts that are not void, as reconcile would (R84, R92); its
         * value before and after when that changed.
         */
        Optional<VoidOutcome.Changed> refold(Meter meter, BillingPeriod period) {
            BatchPlan.Rollup key = new BatchPlan.Rollup(meter.key(), period);
            Rollup stored = rollup(key);
            Rollup truth = Rollup.of(MeterFold.of(meter, live(new BatchPlan.Rollup(meter.source(), period))));
            truth.reserved = stored.reserved;
            rollups.put(key, truth);
            return stored.used.compareTo(truth.used) == 0 ? Optional.empty()
                    : Optional.of(new VoidOutcome.Changed(meter.key(), stored.used, truth.used));
        }

        Rollup rollup(BatchPlan.Rollup key) {
            return rollups.computeIfAbsent(key, k -> {
                metricsByPeriod.merge(k.period(), 1L, Long::sum);
                return new Rollup();
            });
        }

        long metricsIn(BillingPeriod period) {
            return metricsByPeriod.getOrDefault(period, 0L);
        }

        /** Whether the reservation is held and has not expired by {@code now}. */
        boolean heldAt(String id, Instant now) {
            Held held = reservations.get(id);
            return held != null && held.stateAt(id, now) == ReservationState.HELD;
        }

        /**
         * Ends a held reservation as {@code state}: takes its quantity out of reserved and stores
         * {@code fact} (if any) as used. False when it is not held.
         */
        boolean end(String id, ReservationState state, BigDecimal committed, Fact fact) {
            Held held = reservations.remove(id);
            if (held == null) {
                return false;
            }
            Rollup rollup = rollup(new BatchPlan.Rollup(held.metric, held.period));
            rollup.reserved = rollup.reserved.subtract(held.quantity);
            if (fact != null) {
                store(fact);
            }
            ended.put(id, held.as(id, state, state == ReservationState.COMMITTED ? Optional.of(committed)
                    : Optional.empty()));
            return true;
        }

        /** Takes a stored fact into the rollups (and groups) of the meters it feeds. */
        void feed(UsageRecord record, BillingPeriod period, List<Meter> fed) {
            for (Meter meter : fed) {
                rollup(new BatchPlan.Rollup(meter.key(), period)).takeGrouped(meter, record);
            }
        }

        /** Stores a fact (a key stored before keeps its row and its place in an export, R94) and indexes it. */
        void store(Fact fact) {
            int row = facts.find(fact.record.idempotencyKey().value());
            long sequence = row < 0 ? SEQUENCE.incrementAndGet() : facts.sequence(row);
            index(facts.put(fact.record, fact.fingerprint, fact.period, sequence));
        }

        /** Files a stored row under its rollup and counts its quantity there. */
        void index(int row) {
            BatchPlan.Rollup key = new BatchPlan.Rollup(facts.metric(row), facts.period(row));
            factsByRollup.computeIfAbsent(key, k -> new Rows()).add(row);
            Rollup rollup = rollup(key);
            rollup.used = rollup.used.add(facts.quantity(row));
        }
    }
}
