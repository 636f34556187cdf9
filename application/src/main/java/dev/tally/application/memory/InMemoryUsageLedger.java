package dev.tally.application.memory;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.Denied;
import dev.tally.application.port.MetricsFull;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.PeriodTotals;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.port.ReconcileReport;
import dev.tally.application.port.ReserveResult;
import dev.tally.application.port.UsageLedger;
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
 * never wait for each other.
 */
public final class InMemoryUsageLedger implements UsageLedger {

    private final Map<UserId, UserLedger> users = new ConcurrentHashMap<>();

    private UserLedger ledger(UserId user) {
        return users.computeIfAbsent(user, u -> new UserLedger());
    }

    @Override
    public AppendResult append(UserId user, List<PeriodRecord> records, Map<MetricKey, Limit> enforce,
                               Set<MetricKey> watch, MetricBound bound) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            List<PeriodRecord> fresh = new ArrayList<>();
            Map<IdempotencyKey, String> inBatch = new HashMap<>();
            int duplicates = 0;
            for (PeriodRecord entry : records) {
                UsageRecord record = entry.record();
                String fingerprint = entry.fingerprint();
                Fact stored = ledger.factsByKey.get(record.idempotencyKey().value());
                String earlier = stored != null ? stored.fingerprint : inBatch.get(record.idempotencyKey());
                if (earlier == null) {
                    inBatch.put(record.idempotencyKey(), fingerprint);
                    fresh.add(entry);
                } else if (earlier.equals(fingerprint)) {
                    duplicates++;
                } else {
                    return new AppendResult.KeyReused(record.idempotencyKey());
                }
            }
            Map<RollupKey, BigDecimal> requested = new LinkedHashMap<>();
            for (PeriodRecord entry : fresh) {
                requested.merge(RollupKey.of(entry.record().metric(), entry.period()), entry.record().quantity(),
                        BigDecimal::add);
            }
            List<Denied> denials = new ArrayList<>();
            for (Map.Entry<RollupKey, BigDecimal> request : requested.entrySet()) {
                Limit limit = enforce.get(request.getKey().metric());
                if (limit != null) {
                    UsageTotals current = ledger.rollups.getOrDefault(request.getKey(), new Rollup()).totals();
                    Admission admission = limit.admission(request.getValue());
                    if (!admission.admits(current.used(), current.reserved())) {
                        denials.add(Denied.of(request.getKey().metric(), request.getKey().period(), current, admission));
                    }
                }
            }
            if (!denials.isEmpty()) {
                return Denied.firstOffending(fresh, denials);
            }
            List<MetricsFull.Added> added = new ArrayList<>();
            requested.keySet().forEach(key -> {
                if (!ledger.rollups.containsKey(key)) {
                    added.add(new MetricsFull.Added(key.metric(), key.period()));
                }
            });
            Optional<MetricsFull> full = MetricsFull.firstRefused(added, ledger::metricsIn, bound);
            if (full.isPresent()) {
                return full.get();
            }
            for (PeriodRecord entry : fresh) {
                ledger.store(new Fact(entry.record(), entry.fingerprint(), entry.period()));
            }
            List<AppendResult.Raised> raised = new ArrayList<>();
            requested.forEach((key, quantity) -> {
                if (watch.contains(key.metric())) {
                    raised.add(new AppendResult.Raised(key.metric(), key.period(), quantity,
                            ledger.rollups.get(key).used));
                }
            });
            return new AppendResult.Appended(fresh.size(), duplicates, raised);
        }
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
            for (Fact fact : ledger.factsByRollup.getOrDefault(RollupKey.of(metric, period), List.of())) {
                sums.merge(UsageSeries.sliceStart(fact.record.occurredAt(), slice), fact.record.quantity(),
                        BigDecimal::add);
            }
            return sums;
        }
    }

    @Override
    public UsageTotals totals(UserId user, MetricKey metric, BillingPeriod period) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            Rollup rollup = ledger.rollups.get(RollupKey.of(metric, period));
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
    public ReserveResult reserve(UserId user, String reservationId, MetricKey metric, BigDecimal quantity, Instant at,
                                 BillingPeriod period, Limit limit) {
        return hold(user, reservationId, metric, quantity, at, Instant.MAX, period, limit);
    }

    @Override
    public ReserveResult hold(UserId user, String reservationId, MetricKey metric, BigDecimal quantity, Instant at,
                              Instant expiresAt, BillingPeriod period, Limit limit, MetricBound bound) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            if (ledger.reservations.containsKey(reservationId)) {
                throw new IllegalStateException("reservation " + reservationId + " is already held");
            }
            RollupKey key = RollupKey.of(metric, period);
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
    public void release(UserId user, String reservationId) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            ledger.end(reservationId, ReservationState.RELEASED, BigDecimal.ZERO, null);
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
    public Optional<AppendResult.Raised> consumeReporting(UserId user, String reservationId, String idempotencyKey) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            Held held = ledger.reservations.get(reservationId);
            if (held == null || !ledger.end(reservationId, ReservationState.COMMITTED, held.quantity,
                    fact(user, reservationId, held, held.quantity, idempotencyKey))) {
                return Optional.empty();
            }
            return Optional.of(new AppendResult.Raised(held.metric, held.period, held.quantity,
                    ledger.rollup(RollupKey.of(held.metric, held.period)).used));
        }
    }

    @Override
    public boolean commit(UserId user, String reservationId, BigDecimal quantity, String idempotencyKey,
                          Instant now) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            Held held = ledger.reservations.get(reservationId);
            return ledger.heldAt(reservationId, now) && ledger.end(reservationId, ReservationState.COMMITTED, quantity,
                    quantity.signum() == 0 ? null : fact(user, reservationId, held, quantity, idempotencyKey));
        }
    }

    @Override
    public int expire(UserId user, MetricKey metric, BillingPeriod period, Instant now) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            List<String> due = new ArrayList<>();
            ledger.reservations.forEach((id, held) -> {
                if (held.metric.equals(metric) && held.period.equals(period) && !now.isBefore(held.expiresAt)) {
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
            ledger.reservations.values().forEach(held -> {
                if (held.period.equals(period) && !now.isBefore(held.expiresAt)) {
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
            List<Fact> facts = new ArrayList<>(ledger.factsByKey.values());
            ledger.factsByKey.clear();
            ledger.factsByRollup.clear();
            ledger.rollups.clear();
            ledger.metricsByPeriod.clear();
            for (Fact fact : facts) {
                ledger.store(new Fact(fact.record, fact.fingerprint, periodOf.apply(fact.record.occurredAt())));
            }
            Map<String, Held> held = new LinkedHashMap<>(ledger.reservations);
            ledger.reservations.clear();
            held.forEach((id, r) -> {
                Held moved = new Held(r.metric, r.quantity, r.at, r.expiresAt, periodOf.apply(r.at));
                ledger.reservations.put(id, moved);
                Rollup rollup = ledger.rollup(RollupKey.of(moved.metric, moved.period));
                rollup.reserved = rollup.reserved.add(moved.quantity);
            });
        }
    }

    @Override
    public ReconcileReport reconcile(boolean repair, ReconcileProgress progress) {
        List<ReconcileReport.Drift> drifts = new ArrayList<>();
        long checked = 0;
        List<UserId> ids = new ArrayList<>(users.keySet());
        long done = 0;
        for (UserId user : ids) {
            UserLedger ledger = users.get(user);
            synchronized (ledger) {
                Map<RollupKey, Rollup> expected = new HashMap<>();
                for (Fact fact : ledger.factsByKey.values()) {
                    Rollup rollup = expected.computeIfAbsent(RollupKey.of(fact.record.metric(), fact.period), k -> new Rollup());
                    rollup.used = rollup.used.add(fact.record.quantity());
                }
                for (Held reservation : ledger.reservations.values()) {
                    Rollup rollup = expected.computeIfAbsent(RollupKey.of(reservation.metric, reservation.period), k -> new Rollup());
                    rollup.reserved = rollup.reserved.add(reservation.quantity);
                }
                Set<RollupKey> keys = new HashSet<>(expected.keySet());
                keys.addAll(ledger.rollups.keySet());
                for (RollupKey key : keys) {
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

    /**
     * Overwrites a rollup's stored values, leaving the facts alone, so that this package's tests
     * see {@link #reconcile} find and repair drift. Package-private: not part of the port.
     */
    void corruptRollup(UserId user, MetricKey metric, BillingPeriod period, BigDecimal used) {
        UserLedger ledger = ledger(user);
        synchronized (ledger) {
            ledger.rollup(RollupKey.of(metric, period)).used = used;
        }
    }

    private record RollupKey(MetricKey metric, BillingPeriod period) {
        static RollupKey of(MetricKey metric, BillingPeriod period) {
            return new RollupKey(metric, period);
        }
    }

    private static final class Rollup {
        BigDecimal used = BigDecimal.ZERO;
        BigDecimal reserved = BigDecimal.ZERO;

        UsageTotals totals() {
            return new UsageTotals(used, reserved);
        }
    }

    private record Fact(UsageRecord record, String fingerprint, BillingPeriod period) {
    }

    /** A reservation still held; {@code expiresAt} is {@link Instant#MAX} for one that never expires (a run's). */
    private record Held(MetricKey metric, BigDecimal quantity, Instant at, Instant expiresAt, BillingPeriod period) {

        Reservation as(String id, ReservationState state, Optional<BigDecimal> committed) {
            return new Reservation(id, metric, quantity, at, expiresAt, state, committed);
        }
    }

    private static final class UserLedger {
        final Map<String, Fact> factsByKey = new HashMap<>();
        final Map<RollupKey, Rollup> rollups = new HashMap<>();
        final Map<String, Held> reservations = new HashMap<>();
        /** Reservations that ended, as they ended, so that a late commit or release can be told apart. */
        final Map<String, Reservation> ended = new HashMap<>();
        /** The facts of each rollup, so a period's series reads that period only (R52). */
        final Map<RollupKey, List<Fact>> factsByRollup = new HashMap<>();
        /** How many rollups each period has: its distinct metrics (R67). */
        final Map<BillingPeriod, Long> metricsByPeriod = new HashMap<>();

        Rollup rollup(RollupKey key) {
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
            return held != null && now.isBefore(held.expiresAt);
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
            Rollup rollup = rollup(RollupKey.of(held.metric, held.period));
            rollup.reserved = rollup.reserved.subtract(held.quantity);
            if (fact != null) {
                store(fact);
            }
            ended.put(id, held.as(id, state, state == ReservationState.COMMITTED ? Optional.of(committed)
                    : Optional.empty()));
            return true;
        }

        void store(Fact fact) {
            factsByKey.put(fact.record.idempotencyKey().value(), fact);
            RollupKey key = RollupKey.of(fact.record.metric(), fact.period);
            factsByRollup.computeIfAbsent(key, k -> new ArrayList<>()).add(fact);
            Rollup rollup = rollup(key);
            rollup.used = rollup.used.add(fact.record.quantity());
        }
    }
}
