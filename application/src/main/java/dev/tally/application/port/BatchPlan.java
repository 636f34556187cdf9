package dev.tally.application.port;

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
     */
    public record Raise(Rollup rollup, Admission admission, boolean watched) {

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

    private BatchPlan(List<PeriodRecord> candidates, Map<IdempotencyKey, Integer> firstIndex, Reuse reuse,
                      int duplicates, Map<MetricKey, Limit> enforce, Set<MetricKey> watch) {
        this.candidates = candidates;
        this.firstIndex = firstIndex;
        this.reuse = reuse;
        this.duplicates = duplicates;
        this.enforce = enforce;
        this.watch = watch;
    }

    /**
     * The plan of appending {@code records} (in request order), with the limits of the metrics in
     * {@code enforce} and reporting the rollups of the metrics in {@code watch}.
     */
    public static BatchPlan of(List<PeriodRecord> records, Map<MetricKey, Limit> enforce, Set<MetricKey> watch) {
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
        return new BatchPlan(List.copyOf(byKey.values()), firstIndex, reuse, duplicates, enforce, watch);
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
        List<Raise> raises = new ArrayList<>(sums.size());
        sums.forEach((rollup, sum) -> raises.add(new Raise(rollup,
                enforce.getOrDefault(rollup.metric(), Limit.unlimited()).admission(sum),
                watch.contains(rollup.metric()))));
        return raises;
    }

    /** Of the breaches of some raises, the one every storage reports ({@link Denied#firstOffending}). */
    public Denied firstOffending(List<PeriodRecord> fresh, Collection<Denied> denials) {
        return Denied.firstOffending(inRequestOrder(fresh), denials);
    }

    /** The rollups among {@code created} that the {@code fresh} records add, in request order (R67). */
    public List<MetricsFull.Added> added(List<PeriodRecord> fresh, Predicate<Rollup> created) {
        List<MetricsFull.Added> added = new ArrayList<>();
        for (PeriodRecord entry : inRequestOrder(fresh)) {
            Rollup rollup = new Rollup(entry.record().metric(), entry.period());
            MetricsFull.Added add = new MetricsFull.Added(rollup.metric(), rollup.period());
            if (created.test(rollup) && !added.contains(add)) {
                added.add(add);
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

    private int indexOf(PeriodRecord entry) {
        return firstIndex.get(entry.record().idempotencyKey());
    }

    private List<PeriodRecord> inRequestOrder(List<PeriodRecord> records) {
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
