package dev.tally.application.usage;

import dev.tally.application.credit.Credits;
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
import dev.tally.domain.credit.CreditsShortfall;
import dev.tally.domain.entitlement.CreditCheck;
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
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
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
 * user's bound of distinct metrics per period (R67). An enforced write of a metric the plan prices
 * in credits also spends them, in the same transaction, or is refused whole (R38).
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
    private final Credits credits;

    /**
     * Metering with the default bound of distinct metrics per user and period (R67) whose enforced
     * writes keep the plans' rate limits in {@code rates} (R90) and spend credit-priced metrics
     * through {@code credits} (R38), in the same transaction as the period limits: what a
     * jakarta.inject container builds.
     */
    @Inject
    public Metering(UsageLedger ledger, Accounts accounts, Clock clock, EventRecorder events, RateCells rates,
                    Credits credits) {
        this(ledger, accounts, clock, events, MetricBound.DEFAULT_MAX, rates, credits);
    }

    /**
     * Metering with the default bound of distinct metrics per user and period (R67), without rate
     * limits or credit prices: a plan that has either cannot be enforced by it.
     */
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
        this(ledger, accounts, clock, events, maxMetricsPerUser, rates, null);
    }

    /**
     * Metering as above whose enforced writes of a credit-priced metric also spend its credits
     * through {@code credits} (R38), in the same transaction as the usage; without it, a plan's
     * credit prices cannot be enforced and such a write is a fault.
     */
    public Metering(UsageLedger ledger, Accounts accounts, Clock clock, EventRecorder events, int maxMetricsPerUser,
                    RateCells rates, Credits credits) {
        this.credits = credits;
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
        // Credits next (R38): the balance is held until the write ends, so what it covers now is spent below.
        Map<IdempotencyKey, PeriodRecord> priced = enforce ? priced(plan, filed) : Map.of();
        if (!priced.isEmpty()) {
            Optional<CreditsShortfall> shortfall = shortfall(user, plan, priced, receivedAt);
            if (shortfall.isPresent()) {
                giveBack(user.id(), plan, taken);
                return Outcome.refused(shortfall.get());
            }
        }
        Outcome<UsageRecorded> outcome = place(user.id(), plan,
                () -> ledger.append(user.id(), filed, enforced, reported, bound, fed)).map(result -> {
            if (result instanceof AppendResult.KeyReused reused) {
                giveBack(user.id(), plan, taken);
                throw DomainException.unprocessable("idempotency_key_reused",
                        "idempotency key " + reused.key() + " was already used with a different record");
            }
            AppendResult.Appended appended = (AppendResult.Appended) result;
            // Only the records stored now spend; a duplicate spent when it was stored (R20).
            for (IdempotencyKey key : appended.stored()) {
                PeriodRecord entry = priced.get(key);
                if (entry != null) {
                    UsageRecord record = entry.record();
                    credits.spendFor(user.id(), key, record.metric(),
                            plan.creditPrices().creditsFor(record.metric(), record.quantity()), receivedAt,
                            plan.alerts());
                }
            }
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

    /**
     * The {@code filed} records of a metric {@code plan} prices in credits (R38), by key, in request
     * order: a key repeated in the batch pays once.
     */
    private Map<IdempotencyKey, PeriodRecord> priced(Plan plan, List<PeriodRecord> filed) {
        if (plan.creditPrices().isEmpty()) {
            return Map.of();
        }
        Map<IdempotencyKey, PeriodRecord> priced = new LinkedHashMap<>();
        for (PeriodRecord entry : filed) {
            if (plan.creditPrices().prices(entry.record().metric())) {
                priced.putIfAbsent(entry.record().idempotencyKey(), entry);
            }
        }
        if (priced.isEmpty()) {
            return priced;
        }
        if (credits == null) {
            throw new IllegalStateException("plan " + plan.id() + " prices metrics in credits, and this metering"
                    + " has no credits to spend them from");
        }
        return priced;
    }

    /**
     * Holds the user's balance for the rest of the write, leaves out of {@code priced} the records
     * that spent already (R20) and, when the balance cannot pay for the rest, answers the refusal of
     * the whole write (R38): the figures of the first priced metric in request order, as a denial
     * shows them (R12), with the balance and what was required.
     */
    private Optional<CreditsShortfall> shortfall(User user, Plan plan, Map<IdempotencyKey, PeriodRecord> priced,
                                                 Instant at) {
        credits.catchUp(user, Optional.of(plan), at);
        long balance = credits.hold(user.id(), at);
        // Read under the hold, so a retry racing its first attempt sees that attempt's spend.
        priced.keySet().removeIf(key -> credits.spent(user.id(), key));
        if (priced.isEmpty()) {
            return Optional.empty();
        }
        BigInteger required = BigInteger.ZERO;
        for (PeriodRecord entry : priced.values()) {
            required = required.add(BigInteger.valueOf(
                    plan.creditPrices().creditsFor(entry.record().metric(), entry.record().quantity())));
        }
        if (required.compareTo(BigInteger.valueOf(balance)) <= 0) {
            return Optional.empty();
        }
        PeriodRecord first = priced.values().iterator().next();
        MetricKey metric = first.record().metric();
        BigDecimal requested = priced.values().stream().filter(entry -> entry.record().metric().equals(metric))
                .map(entry -> entry.record().quantity()).reduce(BigDecimal.ZERO, BigDecimal::add);
        return Optional.of(new CreditsShortfall(metric, totals(user.id(), metric, first.period()).used(),
                plan.limitOf(metric).max(), requested, plan.id(), first.period().resetsAt(), balance, required));
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
     * What {@code quantity} of {@code metric} would spend of the user's balance now, if {@code plan}
     * prices it in credits (R38, R70); the plan's credits of this period are granted first, as any
     * read does (R37). Writes no usage and spends nothing.
     */
    public Optional<CreditCheck> creditCheck(User user, Plan plan, MetricKey metric, BigDecimal quantity) {
        Optional<Long> price = plan.creditPrices().of(metric);
        if (price.isEmpty() || credits == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        credits.catchUp(user, Optional.of(plan), now);
        return Optional.of(new CreditCheck(price.get(), credits.balance(user.id(), now),
                BigInteger.valueOf(plan.creditPrices().creditsFor(metric, quantity))));
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
