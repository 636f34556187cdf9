package dev.tally.application.usage;

import dev.tally.application.meter.MeterCatalog;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.port.AppendResult;
import dev.tally.application.port.Denied;
import dev.tally.application.port.MetricsFull;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.RateCells;
import dev.tally.application.port.UserRepository;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.event.EventRecorder;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitDecision;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricBound;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.TooManyMetrics;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.rate.RateDecision;
import dev.tally.domain.plan.RateLimited;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The metering steps that use cases share, run inside the caller's transaction: record usage the
 * server built itself (for a session, a code, an API call), with or without the plan's limits,
 * and read usage back. Shown and enforced usage come from the same ledger rollups, for the same
 * period, through this one class (R10). It also records, in the same transaction, the alerts a
 * write causes: a threshold reached, a first denial (R75). Every write it makes stays within the
 * user's bound of distinct metrics per period (R67).
 *
 * <p>Not a use case: services get it by constructor; clients call the services.
 */
public class Metering {

    private final UsageLedger ledger;
    private final Accounts accounts;
    private final Clock clock;
    private final EventRecorder events;
    private final int maxMetricsPerUser;
    private final MeterCatalog meters;
    private final RateCells rates;

    /** Metering with the default bound of distinct metrics per user and period (R67). */
    @Inject
    public Metering(UsageLedger ledger, Accounts accounts, Clock clock, EventRecorder events) {
        this(ledger, accounts, clock, events, MetricBound.DEFAULT_MAX);
    }

    /**
     * Metering where a plan without {@code max_metrics} lets a user have at most
     * {@code maxMetricsPerUser} distinct metrics per period (R67).
     */
    public Metering(UsageLedger ledger, Accounts accounts, Clock clock, EventRecorder events, int maxMetricsPerUser) {
        this(ledger, accounts, clock, events, maxMetricsPerUser, RateCells.UNAVAILABLE);
    }

    /**
     * Metering as above whose enforced writes also keep the plans' rate limits in {@code rates}
     * (R90), in the same transaction as the period limits.
     */
    public Metering(UsageLedger ledger, Accounts accounts, Clock clock, EventRecorder events, int maxMetricsPerUser,
                    RateCells rates) {
        this.rates = rates;
        this.ledger = ledger;
        this.accounts = accounts;
        this.clock = clock;
        this.events = events;
        this.maxMetricsPerUser = MetricBound.checked(maxMetricsPerUser, "the default max_metrics");
        this.meters = new MeterCatalog(ledger);
    }

    /** The meter defined under {@code key} (R81), if any: a metric like any other, aggregated its own way. */
    public Optional<Meter> meterOf(MetricKey key) {
        return Optional.ofNullable(meters.current().byKey().get(key));
    }

    /**
     * Loads the user ({@code 404 user_not_found}) and its plan, then appends {@code records}; with
     * {@code enforce}, every metric's limit is checked in the same atomic write (R13).
     */
    public Outcome<UsageRecorded> record(UserId id, List<UsageRecord> records, boolean enforce) {
        UserRepository.WithPlan read = accounts.withPlan(id);
        return record(read.user(), read.plan().orElseThrow(), records, enforce);
    }

    /** Appends {@code records} for a user and plan the caller already loaded in its transaction. */
    public Outcome<UsageRecorded> record(User user, Plan plan, List<UsageRecord> records, boolean enforce) {
        return append(user, plan, records.stream()
                .map(record -> new PeriodRecord(record, user.periodAt(record.occurredAt())))
                .toList(), enforce);
    }

    /**
     * Records usage that has already happened (minutes used, a redemption made): not enforced, so
     * it counts even past the limit and is never refused.
     */
    public void recordUsed(User user, UsageRecord record) {
        record(user, accounts.planOf(user), List.of(record), false).orElseThrow();
    }

    /** Appends records already filed in their periods; with {@code enforce}, under the plan's limits. */
    Outcome<UsageRecorded> append(User user, Plan plan, List<PeriodRecord> filed, boolean enforce) {
        return append(user, plan, filed, enforce, clock.instant());
    }

    /**
     * {@link #append(User, Plan, List, boolean)} whose rate limits decide at {@code receivedAt}, the
     * instant the request was received and its records without {@code occurred_at} were stamped with,
     * so that no window of those instants ever holds more than a rate admits (R90).
     */
    Outcome<UsageRecorded> append(User user, Plan plan, List<PeriodRecord> filed, boolean enforce,
                                  Instant receivedAt) {
        MeterCatalog.Snapshot catalog = meters.current();
        Map<MetricKey, Limit> limits = new HashMap<>();
        Set<MetricKey> sources = new HashSet<>();
        for (PeriodRecord entry : filed) {
            MetricKey metric = entry.record().metric();
            if (catalog.isMeter(metric)) {
                throw DomainException.invalid("metric_is_meter", "metric " + metric
                        + " is a meter: record its source metric, which feeds it");
            }
            sources.add(metric);
            Limit limit = plan.limitOf(metric);
            if (!limit.isUnlimited()) {
                limits.put(metric, limit);
            }
        }
        List<Meter> fed = catalog.readingAny(sources);
        for (Meter meter : fed) {
            Limit limit = plan.limitOf(meter.key());
            if (!limit.isUnlimited()) {
                limits.put(meter.key(), limit);
            }
        }
        // Only limited metrics have thresholds, so only their rollups report their new used.
        Set<MetricKey> watch = plan.alerts().thresholdsPercent().isEmpty() ? Set.of() : limits.keySet();
        Map<MetricKey, Limit> enforced = enforce ? limits : Map.of();
        MetricBound bound = withMeters(boundOf(plan), fed);
        // Rates first (R90): their cells are locked before the rollups, in metric order, on every path.
        SortedMap<MetricKey, BigDecimal> rated = enforce ? rated(plan, filed) : new TreeMap<>();
        Map<MetricKey, BigDecimal> taken = new TreeMap<>();
        Map<MetricKey, RateDecision.Standing> standings = new TreeMap<>();
        for (Map.Entry<MetricKey, BigDecimal> entry : rated.entrySet()) {
            MetricRate rate = plan.rateLimits().of(entry.getKey()).orElseThrow();
            RateDecision decision = rates.take(user.id(), entry.getKey(), rate, entry.getValue(), receivedAt);
            if (decision instanceof RateDecision.Refused refused) {
                giveBack(user.id(), plan, taken);
                events.rateLimited(user.id(), entry.getKey(), refused);
                return Outcome.refused(new RateLimited(entry.getKey(), refused, plan.id()));
            }
            taken.put(entry.getKey(), entry.getValue());
            RateDecision.Admitted admitted = (RateDecision.Admitted) decision;
            standings.put(entry.getKey(), new RateDecision.Standing(rate, admitted.remaining(), admitted.resetNanos()));
        }
        Set<MetricKey> reported = new TreeSet<>(watch);
        reported.addAll(rated.keySet());
        Outcome<UsageRecorded> outcome = place(user.id(), plan,
                () -> ledger.append(user.id(), filed, enforced, reported, bound, fed)).map(result -> {
            if (result instanceof AppendResult.KeyReused reused) {
                giveBack(user.id(), plan, taken);
                throw DomainException.unprocessable("idempotency_key_reused",
                        "idempotency key " + reused.key() + " was already used with a different record");
            }
            AppendResult.Appended appended = (AppendResult.Appended) result;
            // Records already stored were counted by the rate when they were: what they took goes back (R20).
            Map<MetricKey, BigDecimal> kept = new TreeMap<>();
            appended.raised().stream().filter(raised -> taken.containsKey(raised.metric()))
                    .forEach(raised -> kept.merge(raised.metric(), raised.added(), BigDecimal::add));
            Map<MetricKey, BigDecimal> unkept = new TreeMap<>();
            taken.forEach((metric, quantity) -> unkept.put(metric, new BigDecimal(MetricRate.cells(quantity)
                    .subtract(MetricRate.cells(kept.getOrDefault(metric, BigDecimal.ZERO))))));
            giveBack(user.id(), plan, unkept);
            unkept.forEach((metric, cells) -> {
                if (cells.signum() > 0) {
                    rateStanding(user.id(), plan, metric).ifPresent(standing -> standings.put(metric, standing));
                }
            });
            appended.raised().stream().filter(raised -> watch.contains(raised.metric()))
                    .forEach(raised -> events.thresholdsReached(user.id(), plan, raised));
            return new UsageRecorded(appended.accepted(), appended.duplicates(), List.copyOf(standings.values()));
        });
        return outcome.ifRefused(refusal -> giveBack(user.id(), plan, taken));
    }

    /** Per metric with a rate in {@code plan}, the quantity the {@code filed} records take of it (R90). */
    private static SortedMap<MetricKey, BigDecimal> rated(Plan plan, List<PeriodRecord> filed) {
        SortedMap<MetricKey, BigDecimal> rated = new TreeMap<>();
        if (!plan.rateLimits().isEmpty()) {
            for (PeriodRecord entry : filed) {
                MetricKey metric = entry.record().metric();
                if (plan.rateLimits().of(metric).isPresent()) {
                    rated.merge(metric, entry.record().quantity(), BigDecimal::add);
                }
            }
        }
        return rated;
    }

    /** Gives back, in this transaction, what a write took of its rates and does not keep (R90, R91). */
    private void giveBack(UserId user, Plan plan, Map<MetricKey, BigDecimal> quantities) {
        quantities.forEach((metric, quantity) -> {
            if (quantity.signum() > 0) {
                rates.giveBack(user, metric, plan.rateLimits().of(metric).orElseThrow(), quantity);
            }
        });
    }

    /**
     * Where {@code plan}'s rate of {@code metric} stands for {@code user} now, if it has one (R70,
     * R91): read only.
     */
    public java.util.Optional<RateDecision.Standing> rateStanding(UserId user, Plan plan, MetricKey metric) {
        return plan.rateLimits().of(metric).map(rate -> rates.standing(user, metric, rate, clock.instant()));
    }

    /**
     * The one path of a write that a limit may refuse, usage or hold (R12, R13, R71, R75): places
     * it; when a limit refuses it and holds of the refused rollup have expired, ends them (room they
     * held is never refused) and places it once more; a refusal that stands records its denial (the
     * first of a metric in a period is an event) and becomes the {@link LimitExceeded} the client
     * sees, as a write beyond the bound of metrics becomes {@link TooManyMetrics}. Runs in the
     * caller's transaction.
     *
     * @param write places the write once, saying what the ledger did
     * @return what the ledger did when the write was placed (or answered otherwise, as a reused
     *         key is), or the refusal
     */
    public <R> Outcome<R> place(UserId user, Plan plan, Supplier<R> write) {
        return place(user, plan, write, denied -> expireStale(user, denied));
    }

    /**
     * {@link #place(UserId, Plan, Supplier)} where {@code expireStale} ends what held the refused
     * rollup's room past its expiry, true when anything ended and the write is worth placing again.
     */
    public <R> Outcome<R> place(UserId user, Plan plan, Supplier<R> write, Predicate<Denied> expireStale) {
        R result = write.get();
        if (result instanceof Denied denied && expireStale.test(denied)) {
            result = write.get();
        }
        if (result instanceof Denied denied) {
            events.limitDenied(user, denied);
            return Outcome.refused(exceeded(denied, plan));
        }
        if (result instanceof MetricsFull full) {
            return Outcome.refused(tooMany(full, plan));
        }
        return Outcome.done(result);
    }

    /**
     * Ends the holds of a refused write's rollup whose expiry has come (R71); true when any ended
     * and the write is worth trying again. Readers already discount such holds, so ending them
     * changes no figure anyone sees.
     */
    private boolean expireStale(UserId user, Denied denied) {
        return denied.current().reserved().signum() > 0
                && ledger.expire(user, denied.metric(), denied.period(), clock.instant()) > 0;
    }

    /** {@code bound}, where the meters a write feeds always fit, as declared metrics do (R67). */
    private static MetricBound withMeters(MetricBound bound, List<Meter> fed) {
        if (fed.isEmpty()) {
            return bound;
        }
        Set<MetricKey> declared = new HashSet<>(bound.declared());
        fed.forEach(meter -> declared.add(meter.key()));
        return new MetricBound(bound.max(), declared);
    }

    /** The meters defined now, as writes see them. */
    public MeterCatalog.Snapshot meters() {
        return meters.current();
    }

    /** The bound of distinct metrics per period that {@code plan}'s users write within (R67). */
    public MetricBound boundOf(Plan plan) {
        return plan.metricBound(maxMetricsPerUser);
    }

    /** The refusal a client sees for a write that would pass its bound of metrics (R67). */
    private static TooManyMetrics tooMany(MetricsFull full, Plan plan) {
        return new TooManyMetrics(full.metric(), full.max(), plan.id(), plan.maxMetrics().isPresent(),
                full.period().resetsAt());
    }

    /** The denial a client sees for a refused check-and-record (R12), as the plan decides it. */
    private static LimitExceeded exceeded(Denied denied, Plan plan) {
        LimitDecision decision = plan.decide(denied.metric(), denied.current().used(), denied.current().reserved(),
                denied.requested(), denied.period());
        if (decision instanceof LimitExceeded exceeded) {
            return exceeded;
        }
        throw new IllegalStateException("the ledger refused " + denied + " which the plan " + plan.id() + " admits");
    }

    /** Every metric of the plan and every metric with usage or a reservation in {@code period}, by name. */
    public List<MetricUsage> metrics(User user, Plan plan, BillingPeriod period) {
        return metrics(plan, totals(user.id(), period));
    }

    /**
     * Every metric of the plan and every metric with usage or a reservation in {@code rollups}, by
     * name: the one place the shown figures of a period are computed from its rollups (R15, R50).
     */
    public static List<MetricUsage> metrics(Plan plan, Map<MetricKey, UsageTotals> rollups) {
        Map<MetricKey, UsageTotals> totals = new TreeMap<>(rollups);
        Set<MetricKey> metrics = new TreeSet<>(plan.limits().byMetric().keySet());
        // An empty rollup (left by a refused write or a released reservation) is not usage.
        totals.forEach((metric, t) -> {
            if (t.used().signum() != 0 || t.reserved().signum() != 0) {
                metrics.add(metric);
            }
        });
        return metrics.stream()
                .map(metric -> {
                    UsageTotals t = totals.getOrDefault(metric, UsageTotals.ZERO);
                    return plan.usageOf(metric, t.used(), t.reserved());
                })
                .toList();
    }

    /** The quantities of one metric in {@code period}, summed per slice (R52). */
    public SortedMap<Instant, BigDecimal> usageBySlice(UserId user, MetricKey metric, BillingPeriod period,
                                                       Duration slice) {
        Meter meter = meters.current().byKey().get(metric);
        if (meter == null) {
            return ledger.usageBySlice(user, metric, period, slice);
        }
        return MeterSeries.slices(meter, ledger.records(user, meter.source(), period), slice);
    }

    /**
     * Used and reserved of one metric in {@code period}, without holds whose expiry has come: they
     * stop counting at their instant, swept or not (R71).
     */
    public UsageTotals totals(UserId user, MetricKey metric, BillingPeriod period) {
        UsageTotals totals = ledger.totals(user, metric, period);
        if (totals.reserved().signum() == 0) {
            return totals;
        }
        BigDecimal expired = ledger.expired(user, period, clock.instant()).getOrDefault(metric, BigDecimal.ZERO);
        return new UsageTotals(totals.used(), totals.reserved().subtract(expired));
    }

    /** Used and reserved of every metric with a rollup in {@code period}, by name, as {@link #totals} counts. */
    public Map<MetricKey, UsageTotals> totals(UserId user, BillingPeriod period) {
        Map<MetricKey, UsageTotals> totals = new TreeMap<>(ledger.totals(user, period));
        if (totals.values().stream().anyMatch(t -> t.reserved().signum() != 0)) {
            ledger.expired(user, period, clock.instant()).forEach((metric, expired) -> totals.computeIfPresent(metric,
                    (m, t) -> new UsageTotals(t.used(), t.reserved().subtract(expired))));
        }
        return totals;
    }
}
