package dev.tally.application.port;

import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.meter.MeterDecision;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Admission;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageTotals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What one {@link UsageFacts#append} asks of a ledger, worked out once for every storage (R12,
 * R13, R20, R67, R75). From the request alone: one record per idempotency key, in the order rows
 * are locked (by key), later records under a key being duplicates or a reused key. From the
 * records a storage finds new: their sums per rollup, in the order rollups are locked, each with
 * the {@link Admission} its limit gives it; the refusal every storage reports; and the rollups the
 * write adds, in request order. A storage only inserts facts and raises rollups within the
 * conditions it is given.
 *
 * <p>A record also raises the rollup of every meter whose source and filter it matches (R81), in
 * the same lock order: a {@code sum} or {@code count} meter as any rollup, by the sum of its
 * records' contributions; a {@code max}, {@code unique_count} or {@code latest} meter by its
 * {@link MeterDecision}, which the storage takes on the rollup it holds locked (R82).
 */
public final class BatchPlan {

    /** Rollups in the order every storage locks them: by period start, then end, then metric. */
    public static final Comparator<Rollup> LOCK_ORDER = Comparator
            .comparing((Rollup r) -> r.period().start())
            .thenComparing(r -> r.period().end())
            .thenComparing(Rollup::metric);

    /** A rollup of the user: one (metric, period). */
    public record Rollup(MetricKey metric, BillingPeriod period) {
    }

    /**
     * One rollup's share of the write: its new records' sum, admitted under the metric's limit
     * when enforced (unlimited otherwise), and whether its new {@code used} is reported (R75).
     *
     * @param meter   the meter whose rollup this is, if it is one
     * @param limit   the limit enforced on it (unlimited when not enforced)
     * @param records a meter's matching new records, in request order (empty for a plain metric)
     */
    public record Raise(Rollup rollup, Admission admission, boolean watched, Optional<Meter> meter, Limit limit,
                        List<PeriodRecord> records) {

        public Raise {
            records = List.copyOf(records);
        }

        /** The raise of a plain metric's rollup. */
        public Raise(Rollup rollup, Admission admission, boolean watched) {
            this(rollup, admission, watched, Optional.empty(), Limit.unlimited(), List.of());
        }

        /**
         * Whether the storage decides this raise by {@link #decide} on the rollup locked: a
         * {@code max}, {@code unique_count} or {@code latest} meter's. Others are one conditional
         * write within {@link #admission}.
         */
        public boolean decided() {
            return meter.isPresent() && !meter.get().aggregation().additive();
        }

        /**
         * The meter's decision (R82) where {@code current} is held, {@code seen} saying which
         * distinct values the period holds already.
         */
        public MeterDecision decide(MeterDecision.State current, java.util.function.Predicate<String> seen) {
            return MeterDecision.decide(meter.orElseThrow(), limit,
                    current, records.stream().map(PeriodRecord::record).toList(), seen);
        }

        /** The distinct values of a {@code unique_count} meter's records, in request order. */
        public List<String> distinctValues() {
            Meter m = meter.orElseThrow();
            return records.stream().map(entry -> m.distinctValue(entry.record())).distinct().toList();
        }

        /** What the write adds to the rollup. */
        public BigDecimal quantity() {
            return admission.requested();
        }

        /** The refusal of this raise where {@code current} is held. */
        public Denied denied(UsageTotals current) {
            return Denied.of(rollup.metric(), rollup.period(), current, admission);
        }

        /** The report of this raise, which left the rollup's used at {@code usedAfter}. */
        public AppendResult.Raised raised(BigDecimal usedAfter) {
            return new AppendResult.Raised(rollup.metric(), rollup.period(), quantity(), usedAfter);
        }
    }

    private final List<PeriodRecord> candidates;
    private final Map<IdempotencyKey, Integer> firstIndex;
    private final Reuse reuse;
    private final int duplicates;
    private final Map<MetricKey, Limit> enforce;
    private final Set<MetricKey> watch;
    private final Map<MetricKey, List<Meter>> metersBySource;
    private final Map<Denied, Integer> decidedAt = new IdentityHashMap<>();

    private BatchPlan(List<PeriodRecord> candidates, Map<IdempotencyKey, Integer> firstIndex, Reuse reuse,
                      int duplicates, Map<MetricKey, Limit> enforce, Set<MetricKey> watch, List<Meter> meters) {
        this.candidates = candidates;
        this.firstIndex = firstIndex;
        this.reuse = reuse;
        this.duplicates = duplicates;
        this.enforce = enforce;
        this.watch = watch;
        Map<MetricKey, List<Meter>> bySource = new HashMap<>();
        meters.forEach(meter -> bySource.computeIfAbsent(meter.source(), s -> new ArrayList<>()).add(meter));
        this.metersBySource = bySource;
    }

    /**
     * The plan of appending {@code records} (in request order), with the limits of the metrics in
     * {@code enforce} and reporting the rollups of the metrics in {@code watch}.
     */
    public static BatchPlan of(List<PeriodRecord> records, Map<MetricKey, Limit> enforce, Set<MetricKey> watch) {
        return of(records, enforce, watch, List.of());
    }

    /**
     * {@link #of(List, Map, Set)} where each record also feeds the {@code meters} whose source and
     * filter it matches (R81); {@code enforce} and {@code watch} name meters by their keys.
     */
    public static BatchPlan of(List<PeriodRecord> records, Map<MetricKey, Limit> enforce, Set<MetricKey> watch,
                               List<Meter> meters) {
        Map<String, PeriodRecord> byKey = new TreeMap<>();
        Map<IdempotencyKey, Integer> firstIndex = new HashMap<>();
        Reuse reuse = Reuse.NONE;
        int duplicates = 0;
        for (int i = 0; i < records.size(); i++) {
            PeriodRecord entry = records.get(i);
            IdempotencyKey key = entry.record().idempotencyKey();
            PeriodRecord first = byKey.putIfAbsent(key.value(), entry);
            if (first == null) {
                firstIndex.put(key, i);
            } else if (!first.fingerprint().equals(entry.fingerprint())) {
                reuse = reuse.earliest(i, key);
            } else {
                duplicates++;
            }
        }
        return new BatchPlan(List.copyOf(byKey.values()), firstIndex, reuse, duplicates, enforce, watch, meters);
    }

    /** One record per key, the first of the request under it, by key: the facts to store, in lock order. */
    public List<PeriodRecord> candidates() {
        return candidates;
    }

    /**
     * The refusal of a key reused within the request or against a fact stored before (R20): the
     * reuse met first in request order, if any.
     *
     * @param stored            the candidates whose key was stored before
     * @param storedFingerprint the fingerprint stored under a candidate's key
     */
    public Optional<AppendResult.KeyReused> reused(Collection<PeriodRecord> stored,
                                                   Function<PeriodRecord, String> storedFingerprint) {
        Reuse first = reuse;
        for (PeriodRecord entry : stored) {
            if (!storedFingerprint.apply(entry).equals(entry.fingerprint())) {
                first = first.earliest(indexOf(entry), entry.record().idempotencyKey());
            }
        }
        return Optional.ofNullable(first.key()).map(AppendResult.KeyReused::new);
    }

    /** The rollups the {@code fresh} records (candidates not stored before) raise, in lock order. */
    public List<Raise> raises(List<PeriodRecord> fresh) {
        Map<Rollup, BigDecimal> sums = new TreeMap<>(LOCK_ORDER);
        for (PeriodRecord entry : fresh) {
            sums.merge(new Rollup(entry.record().metric(), entry.period()), entry.record().quantity(),
                    BigDecimal::add);
        }
        Map<Rollup, Meter> meterOf = new HashMap<>();
        Map<Rollup, List<PeriodRecord>> fed = new LinkedHashMap<>();
        if (!metersBySource.isEmpty()) {
            // A latest meter's ties go to the record stored last (R81): within one batch, the facts'
            // own order, by key; every other aggregation reads the batch in request order.
            feed(inRequestOrder(fresh), false, meterOf, fed, sums);
            feed(fresh.stream().sorted(Comparator.comparing(entry -> entry.record().idempotencyKey().value()))
                    .toList(), true, meterOf, fed, sums);
        }
        List<Raise> raises = new ArrayList<>(sums.size());
        sums.forEach((rollup, sum) -> {
            Limit limit = enforce.getOrDefault(rollup.metric(), Limit.unlimited());
            Meter meter = meterOf.get(rollup);
            raises.add(meter == null
                    ? new Raise(rollup, limit.admission(sum), watch.contains(rollup.metric()))
                    : new Raise(rollup, limit.admission(sum), watch.contains(rollup.metric()), Optional.of(meter),
                            limit, fed.get(rollup)));
        });
        return raises;
    }

    /** Adds {@code records} to the rollups of the meters they feed: the latest meters, or every other. */
    private void feed(List<PeriodRecord> records, boolean latest, Map<Rollup, Meter> meterOf,
                      Map<Rollup, List<PeriodRecord>> fed, Map<Rollup, BigDecimal> sums) {
        for (PeriodRecord entry : records) {
            for (Meter meter : metersBySource.getOrDefault(entry.record().metric(), List.of())) {
                if ((meter.aggregation() == Aggregation.LATEST) == latest && meter.matches(entry.record())) {
                    Rollup rollup = new Rollup(meter.key(), entry.period());
                    meterOf.put(rollup, meter);
                    fed.computeIfAbsent(rollup, r -> new ArrayList<>()).add(entry);
                    sums.merge(rollup, meter.aggregation().additive() ? meter.contribution(entry.record())
                            : BigDecimal.ZERO, BigDecimal::add);
                }
            }
        }
    }

    /**
     * The refusal of a decided raise ({@link Raise#decided}) where {@code current} was held: named
     * after the meter, reporting the refused record's request and the value held (R12).
     */
    public Denied refused(Raise raise, MeterDecision.Refused refused, MeterDecision.State current) {
        Denied denied = new Denied(raise.rollup().metric(), raise.rollup().period(),
                new UsageTotals(current.value(), current.reserved()), refused.requested(),
                raise.limit().max().orElseThrow());
        decidedAt.put(denied, indexOf(raise.records().get(refused.position())));
        return denied;
    }

    /**
     * Of the breaches of some raises, the one every storage reports ({@link Denied#firstOffending}):
     * a meter's breach counts at the record of the request that passed its limit.
     */
    public Denied firstOffending(List<PeriodRecord> fresh, Collection<Denied> denials) {
        List<PeriodRecord> ordered = inRequestOrder(fresh);
        return Denied.first(denials, denied -> offendingIndex(ordered, denied));
    }

    private int offendingIndex(List<PeriodRecord> ordered, Denied denied) {
        Integer decided = decidedAt.get(denied);
        if (decided != null) {
            return decided;
        }
        List<Meter> meters = metersBySource.values().stream().flatMap(List::stream)
                .filter(meter -> meter.key().equals(denied.metric())).toList();
        if (meters.isEmpty()) {
            return denied.offendingIndex(ordered);
        }
        // A sum or count meter: the record at which its running total passes the limit.
        Meter meter = meters.get(0);
        Limit max = Limit.of(denied.limit());
        BigDecimal soFar = BigDecimal.ZERO;
        for (PeriodRecord entry : ordered) {
            if (entry.period().equals(denied.period()) && meter.matches(entry.record())) {
                soFar = soFar.add(meter.contribution(entry.record()));
                if (!max.admission(soFar).admits(denied.current().used(), denied.current().reserved())) {
                    return indexOf(entry);
                }
            }
        }
        return Integer.MAX_VALUE - 1;
    }

    /** The rollups among {@code created} that the {@code fresh} records add, in request order (R67). */
    public List<MetricsFull.Added> added(List<PeriodRecord> fresh, Predicate<Rollup> created) {
        List<MetricsFull.Added> added = new ArrayList<>();
        for (PeriodRecord entry : inRequestOrder(fresh)) {
            List<Rollup> rollups = new ArrayList<>();
            rollups.add(new Rollup(entry.record().metric(), entry.period()));
            for (Meter meter : metersBySource.getOrDefault(entry.record().metric(), List.of())) {
                if (meter.matches(entry.record())) {
                    rollups.add(new Rollup(meter.key(), entry.period()));
                }
            }
            for (Rollup rollup : rollups) {
                MetricsFull.Added add = new MetricsFull.Added(rollup.metric(), rollup.period());
                if (created.test(rollup) && !added.contains(add)) {
                    added.add(add);
                }
            }
        }
        return added;
    }

    /**
     * The answer of a write that stored {@code fresh} records, met {@code storedBefore} candidates
     * stored already (with no key reused, duplicates) and raised the watched rollups as {@code raised}.
     */
    public AppendResult.Appended appended(int fresh, int storedBefore, List<AppendResult.Raised> raised) {
        return new AppendResult.Appended(fresh, duplicates + storedBefore, raised);
    }

    /**
     * {@link #appended(int, int, List)} naming the keys of the {@code fresh} records it stored, in
     * request order (R38).
     */
    public AppendResult.Appended appended(List<PeriodRecord> fresh, int storedBefore,
                                          List<AppendResult.Raised> raised) {
        return new AppendResult.Appended(fresh.size(), duplicates + storedBefore, raised,
                inRequestOrder(fresh).stream().map(entry -> entry.record().idempotencyKey()).toList());
    }

    private int indexOf(PeriodRecord entry) {
        return firstIndex.get(entry.record().idempotencyKey());
    }

    /** {@code records} in the order of the request. */
    public List<PeriodRecord> inRequestOrder(List<PeriodRecord> records) {
        List<PeriodRecord> sent = new ArrayList<>(records);
        sent.sort(Comparator.comparingInt(this::indexOf));
        return sent;
    }

    /** The reused key met first in request order, if any. */
    private record Reuse(int index, IdempotencyKey key) {
        static final Reuse NONE = new Reuse(Integer.MAX_VALUE, null);

        Reuse earliest(int at, IdempotencyKey reused) {
            return at < index ? new Reuse(at, reused) : this;
        }
    }
}
