package dev.tally.adapter.jdbc;

import dev.tally.application.usage.VoidRecord;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.port.ReconcileReport;
import dev.tally.domain.usage.Granularity;
import dev.tally.domain.usage.RecordId;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.allocation.ChangeAllocation;
import dev.tally.application.allocation.SetAllocation;
import dev.tally.application.cost.RecordApiCall;
import dev.tally.application.credit.CreditWrite;
import dev.tally.application.credit.PeriodSelector;
import dev.tally.application.entitlement.CheckEntitlement;
import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.reservation.EndReservation;
import dev.tally.application.reservation.HoldReservation;
import dev.tally.application.run.CompleteRun;
import dev.tally.application.run.StartRun;
import dev.tally.application.session.CompleteSession;
import dev.tally.application.session.CreateSession;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.usecase.Paging;
import dev.tally.application.user.PutUser;
import dev.tally.application.user.ResetBillingPeriod;
import dev.tally.domain.DomainException;
import dev.tally.domain.activation.ActivationCode;
import dev.tally.domain.cost.ApiCall;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.period.CycleKind;
import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.plan.CreditPrices;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.plan.PlanOverride;
import dev.tally.domain.plan.Features;
import dev.tally.domain.run.ModelPrice;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.session.Session;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.user.UserId;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Model-based agreement of the storages (R10, R12, R13, R20, R38): one random sequence of use-case
 * calls (every write and read, valid and invalid, across period boundaries, resets and plan
 * changes, under a {@link ManualClock}) goes to in-memory, H2 and PostgreSQL storage at once, and
 * after every step each gives the same answer (the same value, refusal, or error code and message) and the
 * same billing overview. Both plans price a metric in credits, so enforced records of it spend
 * from the balance that the credit steps move, or are refused for it, and voids give it back. A
 * failing sequence is shrunk to the shortest that still disagrees.
 *
 * <p>CI runs {@code jqwik.tries.default} (80) sequences (see {@code junit-platform.properties}) of up to
 * {@code tally.model.steps} steps (default 60); raise either with a system property, e.g.
 * {@code -Djqwik.tries.default=500 -Dtally.model.steps=200}. Without {@code TALLY_TEST_POSTGRES_URL}
 * PostgreSQL is left out, and the run says so.
 */
class BackendAgreementProperties {

    private static final Instant START = Instant.parse("2026-03-14T10:00:00Z");
    private static final int MAX_STEPS = Integer.getInteger("tally.model.steps", 60);
    private static final List<MetricKey> METRICS = List.of(new MetricKey("m1"), new MetricKey("m2"),
            new MetricKey("m3"));
    private static final MetricKey SEATS = new MetricKey("seats");
    /** A meter of every aggregation over m1 and m2, with a filter and group-by (R81–R83). */
    private static final List<Meter> METERS = List.of(
            new Meter(new MetricKey("model_sum_x"), METRICS.get(0), Aggregation.SUM, Optional.empty(),
                    Map.of("op", List.of("x")), List.of(), Optional.empty()),
            new Meter(new MetricKey("model_count"), METRICS.get(0), Aggregation.COUNT, Optional.empty(), Map.of(),
                    List.of("op"), Optional.empty()),
            new Meter(new MetricKey("model_max"), METRICS.get(0), Aggregation.MAX, Optional.empty(), Map.of(),
                    List.of(), Optional.empty()),
            new Meter(new MetricKey("model_latest"), METRICS.get(1), Aggregation.LATEST, Optional.empty(), Map.of(),
                    List.of(), Optional.empty()),
            new Meter(new MetricKey("model_users"), METRICS.get(1), Aggregation.UNIQUE_COUNT, Optional.of("end_user"),
                    Map.of(), List.of("op"), Optional.empty()));
    /** The metrics a rewritten plan limits: some count whole units, so a fraction is refused for them. */
    private static final List<MetricKey> PLANNED = List.of(METRICS.get(0), METRICS.get(1), MetricKey.RUNS,
            MetricKey.SESSIONS, MetricKey.apiCalls("video"), MetricKey.apiCalls("llm"));
    private static final AtomicLong SEQUENCES = new AtomicLong();
    private static final AtomicLong STEPS = new AtomicLong();
    private static final Map<String, AtomicLong> NANOS = new ConcurrentHashMap<>();

    private static TestDatabase h2;
    private static TestDatabase postgres;

    @BeforeContainer
    static void openDatabases() throws Exception {
        h2 = TestDatabase.h2();
        h2.beforeAll(null);
        String url = System.getenv(TestDatabase.POSTGRES_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            System.out.println("BackendAgreementProperties: PostgreSQL left out: set "
                    + TestDatabase.POSTGRES_URL_VARIABLE + " to compare it too");
        } else {
            postgres = TestDatabase.postgres();
            postgres.beforeAll(null);
        }
    }

    @AfterContainer
    static void closeDatabases() throws Exception {
        System.out.println("BackendAgreementProperties: " + SEQUENCES.get() + " sequences, " + STEPS.get()
                + " steps compared on " + (postgres == null ? "memory and H2" : "memory, H2 and PostgreSQL")
                + "; ms per storage " + NANOS.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().get() / 1_000_000).collect(Collectors.joining(" ")));
        // Every sequence's records and voids, on each SQL storage: reconcile finds no drift (R92, R84).
        List<ReconcileReport.Drift> h2Drifts = drifts(h2.storage().ports().usage(), Optional.empty());
        List<ReconcileReport.Drift> postgresDrifts = postgres == null ? List.of()
                : drifts(postgres.storage().ports().usage(), Optional.empty());
        h2.afterAll(null);
        if (postgres != null) {
            postgres.afterAll(null);
        }
        assertThat(h2Drifts).as("H2 reconcile").isEmpty();
        assertThat(postgresDrifts).as("PostgreSQL reconcile").isEmpty();
    }

    @Property(shrinking = ShrinkingMode.BOUNDED)
    void R10_every_storage_gives_the_same_answers_to_the_same_calls(@ForAll("sequences") List<Step> steps) {
        SEQUENCES.incrementAndGet();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Backend> backends = new ArrayList<>();
        backends.add(new Backend("memory", InMemoryStorage.create(), run));
        backends.add(new Backend("h2", h2.storage().ports(), run));
        if (postgres != null) {
            backends.add(new Backend("postgres", postgres.storage().ports(), run));
        }
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            STEPS.incrementAndGet();
            Map<String, String> answers = new TreeMap<>();
            Map<String, String> overviews = new TreeMap<>();
            for (Backend backend : backends) {
                long started = System.nanoTime();
                answers.put(backend.name, backend.answer(step));
                overviews.put(backend.name, backend.overview());
                NANOS.computeIfAbsent(backend.name, k -> new AtomicLong()).addAndGet(System.nanoTime() - started);
            }
            assertThat(answers.values().stream().distinct()).as("answers to step %d %s: %s", i, step, answers)
                    .hasSize(1);
            assertThat(answers.values()).as("answers to step %d %s: an unexpected exception is a 500", i, step)
                    .noneMatch(answer -> answer.startsWith("crash"));
            assertThat(overviews.values().stream().distinct()).as("state after step %d %s: %s", i, step, overviews)
                    .hasSize(1);
        }
        // Memory holds this sequence only: its rollups and meters agree with the facts that are not
        // void, whatever mix of records and voids (R92, R84); the SQL storages are checked once, at the end.
        assertThat(drifts(backends.get(0).tally.storage().usage(), Optional.of(backends.get(0).user)))
                .as("reconcile after %s", steps).isEmpty();
    }

    /** The rollups (of metrics and of meters) that reconcile finds drifted, of one user or of all. */
    private static List<ReconcileReport.Drift> drifts(UsageLedger ledger, Optional<UserId> user) {
        List<ReconcileReport.Drift> drifts = new ArrayList<>(ledger.reconcile(false, ReconcileProgress.NONE).drifts());
        drifts.addAll(ledger.reconcileMeters(Optional.empty(), Instant.EPOCH, false).drifts());
        return drifts.stream().filter(drift -> user.map(drift.user()::equals).orElse(true)).toList();
    }

    // --- the calls ---

    /** One use-case call with its arguments; entities it refers to are picked by index. */
    sealed interface Step {
        Object apply(Backend b);
    }

    record Usage(List<Item> items, boolean enforce) implements Step {
        public Object apply(Backend b) {
            List<UsageItem> sent = items.stream().map(item -> new UsageItem(METRICS.get(item.metric),
                    item.quantity, item.ago.map(s -> b.clock.instant().minusSeconds(s)),
                    new IdempotencyKey("k" + item.key), item.dimension
                            ? Map.of("op", "x", "end_user", "e" + item.key % 3) : Map.of("end_user", "e" + item.key % 2)))
                    .toList();
            return b.tally.usage().record(new RecordUsage(b.user, sent, enforce));
        }
    }

    /** {@code ago}: seconds before now (negative: in the future), or absent for "now". */
    record Item(int metric, BigDecimal quantity, Optional<Long> ago, int key, boolean dimension) {
    }

    record ApiCallStep(boolean video, Optional<String> provider, Optional<Integer> model, String cost,
                       Optional<Long> ago, boolean enforce, Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            Outcome<ApiCall> call = b.tally.apiCalls().record(new RecordApiCall(b.user, video ? "video" : "llm",
                    provider, model.map(b::model), new BigDecimal(cost), OptionalInt.of(200), OptionalLong.of(15),
                    ago.map(s -> b.clock.instant().minusSeconds(s)), enforce,
                    key.map(k -> new IdempotencyKey("a" + k))));
            whenDone(call, c -> b.created("call", c.id()));
            return call;
        }
    }

    record StartRunStep(Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            Outcome<ReportRun> run = b.tally.runs().start(new StartRun(b.user, Optional.of("repo"), Optional.empty(),
                    key.map(k -> new IdempotencyKey("r" + k))));
            whenDone(run, r -> b.created("run", r.id()));
            return run;
        }
    }

    record CompleteRunStep(int run, RunStatus status, long tokensIn, long tokensOut, Optional<String> cost,
                           Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            RunCompletion completion = new RunCompletion(status, tokensIn, tokensOut, Optional.of("gpt-4o-mini"), 2,
                    cost.map(BigDecimal::new), Optional.empty(), Optional.empty());
            return b.tally.runs().complete(new CompleteRun(b.user, b.pick("run", run), completion,
                    key.map(k -> new IdempotencyKey("c" + k))));
        }
    }

    /** An operator prices a model (of this sequence's own: the table is shared) and names its provider. */
    record PriceModel(int model, String inputPer1k, String provider) implements Step {
        public Object apply(Backend b) {
            return b.tally.prices().put(new ModelPrice(b.model(model), new BigDecimal(inputPer1k),
                    new BigDecimal("0.002"), provider));
        }
    }

    /** An operator changes the user's billing: its usage is refiled into the new periods. */
    record Rebill(CycleKind cycle, Optional<Long> anchorAgo, Optional<String> zone) implements Step {
        public Object apply(Backend b) {
            return b.tally.users().put(new PutUser(b.user, b.tally.users().get(b.user).planId(), Optional.of(cycle),
                    anchorAgo.map(s -> b.clock.instant().minusSeconds(s)), zone.map(ZoneId::of)));
        }
    }

    record SweepRuns() implements Step {
        public Object apply(Backend b) {
            b.tally.runs().sweepTimedOut();
            // By id: runs started at one instant are ordered by their (random) ids.
            return b.tally.runs().list(b.user, new Paging(50, 0)).runs().stream()
                    .collect(Collectors.toMap(ReportRun::id, run -> run));
        }
    }

    record OpenSession(String title, Optional<String> fileSizeMb, Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            Outcome<Session> session = b.tally.sessions().create(new CreateSession(b.user, title,
                    fileSizeMb.map(BigDecimal::new), key.map(k -> new IdempotencyKey("s" + k))));
            whenDone(session, s -> b.created("session", s.id()));
            return session;
        }
    }

    record CompleteSessionStep(int session, long seconds, Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            return b.tally.sessions().complete(new CompleteSession(b.user, b.pick("session", session), seconds,
                    key.map(k -> new IdempotencyKey("cs" + k))));
        }
    }

    record Credit(CreditWrite.Kind kind, long amount, int target, int key) implements Step {
        public Object apply(Backend b) {
            IdempotencyKey k = new IdempotencyKey("cr" + key);
            CreditWrite write = switch (kind) {
                case PURCHASE -> CreditWrite.purchase(b.user, amount, k);
                case GRANT -> CreditWrite.grant(b.user, amount, k);
                case USAGE -> CreditWrite.spend(b.user, amount, "op" + target % 2, k);
                case REFUND -> CreditWrite.refund(b.user, b.pick("spend", target), amount, k);
                case ADJUSTMENT -> CreditWrite.adjust(b.user, amount, "fix", k);
            };
            Outcome<CreditTransaction> written = b.tally.credits().write(write);
            whenDone(written, t -> b.created(t.type() == CreditType.USAGE ? "spend" : "credit", t.id()));
            return written;
        }
    }

    record IssueCode(int maxUses, Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            Outcome<ActivationCode> code = b.tally.activationCodes().issue(
                    new dev.tally.application.activation.IssueCode(b.user, maxUses,
                            key.map(k -> new IdempotencyKey("i" + k))));
            whenDone(code, c -> b.created("code", c.code()));
            return code;
        }
    }

    record RedeemCode(int code, Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            return b.tally.activationCodes().redeem(new dev.tally.application.activation.RedeemCode(
                    b.pick("code", code), Optional.of(b.user), key.map(k -> new IdempotencyKey("rd" + k))));
        }
    }

    record ChangePlan(boolean bigger) implements Step {
        public Object apply(Backend b) {
            return b.tally.users().changePlan(b.user, bigger ? b.bigger : b.smaller);
        }
    }

    /**
     * An operator rewrites the bigger plan's limits, given in this order (R11, R64): stored and read
     * back alike by every storage, or refused naming the first offending limit in that order.
     */
    record RePlan(List<Map.Entry<Integer, String>> limits) implements Step {
        public Object apply(Backend b) {
            Map<MetricKey, Limit> given = new LinkedHashMap<>();
            limits.forEach(limit -> given.put(PLANNED.get(limit.getKey()), Limit.of(new BigDecimal(limit.getValue()))));
            b.tally.plans().put(Plan.of(b.bigger, "Big", new PlanLimits(given))
                    .withAllocations(new PlanLimits(Map.of(SEATS, Limit.of(5)))));
            return b.tally.plans().get(b.bigger);
        }
    }

    /**
     * An operator overrides the user's limit of a planned metric (R73), for good or until some
     * seconds from now: enforcement and every read after it use the limit in force at their instant.
     */
    record OverrideStep(int metric, String limit, Optional<Long> expiresIn) implements Step {
        public Object apply(Backend b) {
            return b.tally.overrides().put(b.user, new PlanOverride(new PlanLimits(Map.of(PLANNED.get(metric),
                    Limit.of(new BigDecimal(limit)))), PlanLimits.none(), Features.none(),
                    expiresIn.map(seconds -> b.clock.instant().plusSeconds(seconds))));
        }
    }

    /** The operator removes the override (R73): the plan's limits apply again, or 404 when there is none. */
    record RemoveOverride() implements Step {
        public Object apply(Backend b) {
            return b.tally.overrides().remove(b.user);
        }
    }

    /** A plan change booked some seconds ahead or at the period's end (R73), applied lazily at its instant. */
    record ScheduleChange(boolean bigger, Optional<Long> inSeconds) implements Step {
        public Object apply(Backend b) {
            return b.tally.users().schedulePlanChange(b.user, bigger ? b.bigger : b.smaller,
                    inSeconds.map(seconds -> b.clock.instant().plusSeconds(seconds)), Optional.empty());
        }
    }

    /** A hold (R71) of a metered metric, for a ttl of seconds or the default. */
    record HoldStep(int metric, long quantity, Optional<Long> ttl, Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            Outcome<Reservation> held = b.tally.reservations().hold(new HoldReservation(b.user, METRICS.get(metric),
                    BigDecimal.valueOf(quantity), ttl.map(OptionalLong::of).orElse(OptionalLong.empty()),
                    key.map(k -> new IdempotencyKey("h" + k))));
            whenDone(held, r -> b.created("hold", r.id()));
            return held;
        }
    }

    /** A commit of part (or all) of a hold, or its release. */
    record EndHoldStep(int hold, boolean commit, Optional<Long> quantity, Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            Optional<IdempotencyKey> k = key.map(n -> new IdempotencyKey("e" + n));
            String id = b.pick("hold", hold);
            return b.tally.reservations().end(commit
                    ? EndReservation.commit(b.user, id, quantity.map(BigDecimal::valueOf), k)
                    : EndReservation.release(b.user, id, k));
        }
    }

    /** An allocation (R72) raised or lowered, or set by the operator. */
    record AllocateStep(long delta, boolean set, Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            Optional<IdempotencyKey> k = key.map(n -> new IdempotencyKey("s" + n));
            return set ? b.tally.allocations().set(new SetAllocation(b.user, SEATS, BigDecimal.valueOf(Math.abs(delta)),
                    k))
                    : b.tally.allocations().change(new ChangeAllocation(b.user, SEATS, BigDecimal.valueOf(delta), k));
        }
    }

    /** An entitlement check (R70), and all of them. */
    record CheckStep(int metric, long quantity) implements Step {
        public Object apply(Backend b) {
            MetricKey key = metric < METRICS.size() ? METRICS.get(metric) : SEATS;
            return List.of(b.tally.entitlements().check(new CheckEntitlement(b.user, key, BigDecimal.valueOf(quantity))),
                    b.tally.entitlements().all(b.user));
        }
    }

    /**
     * A void (R92) of the usage record stored under {@code "k" + key} (or of its void), then the
     * series of every metric: usage and series agree on every storage after any mix of records and voids.
     */
    record VoidStep(int key, boolean ofVoid) implements Step {
        public Object apply(Backend b) {
            RecordId id = RecordId.of(new IdempotencyKey("k" + key));
            List<Object> answers = new ArrayList<>();
            answers.add(b.tally.corrections().voidRecord(new VoidRecord(b.user, ofVoid ? id.voidId() : id, "mistake")));
            for (MetricKey metric : METRICS) {
                answers.add(b.tally.usage().series(b.user, metric, Granularity.DAY, Optional.empty()));
            }
            return answers;
        }
    }

    record Reset(Optional<Integer> key) implements Step {
        public Object apply(Backend b) {
            return b.tally.users().resetBillingPeriod(new ResetBillingPeriod(b.user,
                    key.map(k -> new IdempotencyKey("reset" + k))));
        }
    }

    record Advance(long seconds) implements Step {
        public Object apply(Backend b) {
            b.clock.advance(Duration.ofSeconds(seconds));
            return b.clock.instant();
        }
    }

    record ReadPast(long secondsAgo) implements Step {
        public Object apply(Backend b) {
            Instant at = b.clock.instant().minusSeconds(secondsAgo);
            return List.of(b.tally.billing().overview(b.user, Optional.of(at)),
                    b.tally.credits().usageByOperation(b.user, PeriodSelector.previousPeriod()),
                    b.tally.credits().transactions(b.user, new Paging(100, 0)));
        }
    }

    private static <T> void whenDone(Outcome<T> outcome, Consumer<T> action) {
        if (outcome instanceof Outcome.Done<T> done) {
            action.accept(done.value());
        }
    }

    // --- one storage under test ---

    static final class Backend {
        final String name;
        final Tally tally;
        final ManualClock clock = new ManualClock(START);
        final UserId user;
        final PlanId smaller;
        final PlanId bigger;
        private final Map<String, List<String>> created = new HashMap<>();
        private final Map<String, String> aliases = new HashMap<>();

        Backend(String name, TallyStorage storage, String run) {
            this.name = name;
            if (storage.transactions() instanceof JdbiTransactions jdbc) {
                // As on an H2 file or PostgreSQL: every recording is decided as a group decides
                // it (GroupedAppends), even alone, and held to the memory model.
                jdbc.grouping(true);
                jdbc.decideAlone(true);
            }
            this.tally = Tally.create(storage, clock, Tally.Settings.DEFAULTS);
            this.user = new UserId("model-" + run);
            this.smaller = new PlanId("small-" + run);
            this.bigger = new PlanId("big-" + run);
            tally.plans().put(Plan.of(smaller, "Small", new PlanLimits(Map.ofEntries(Map.entry(MetricKey.RUNS, Limit.of(2)),
                    Map.entry(MetricKey.SESSIONS, Limit.of(3)), Map.entry(MetricKey.SESSION_MINUTES, Limit.of(30)),
                    Map.entry(MetricKey.ACTIVATION_CODES, Limit.of(2)), Map.entry(MetricKey.apiCalls("llm"), Limit.of(3)),
                    Map.entry(MetricKey.COST_USD, Limit.of(new BigDecimal("2.5"))), Map.entry(METRICS.get(0), Limit.of(8)),
                    Map.entry(METRICS.get(1), Limit.of(4)), Map.entry(METERS.get(1).key(), Limit.of(5)),
                    Map.entry(METERS.get(2).key(), Limit.of(3)), Map.entry(METERS.get(3).key(), Limit.of(2)),
                    Map.entry(METERS.get(4).key(), Limit.of(1)))))
                    .withAllocations(new PlanLimits(Map.of(SEATS, Limit.of(3))))
                    .withCreditPrices(new CreditPrices(Map.of(METRICS.get(2), 2L))));
            tally.plans().put(Plan.of(bigger, "Big", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(4),
                    MetricKey.SESSIONS, Limit.unlimited(), MetricKey.apiCalls("video"), Limit.of(0),
                    METRICS.get(0), Limit.of(20), METRICS.get(1), Limit.of(0))))
                    .withAllocations(new PlanLimits(Map.of(SEATS, Limit.of(5))))
                    .withCreditPrices(new CreditPrices(Map.of(METRICS.get(0), 1L, METRICS.get(2), 3L))));
            tally.users().put(new PutUser(user, smaller, Optional.of(CycleKind.CALENDAR_MONTH), Optional.empty(),
                    Optional.empty()));
            METERS.forEach(tally.meters()::put);
        }

        /** The {@code index}-th model of this sequence. */
        String model(int index) {
            return "model-" + user.value() + "-" + index;
        }

        void created(String kind, String id) {
            List<String> ids = created.computeIfAbsent(kind, k -> new ArrayList<>());
            if (!aliases.containsKey(id)) {
                ids.add(id);
                aliases.put(id, kind + "#" + ids.size());
            }
        }

        /** The {@code index}-th entity of a kind (cycling), or a name that exists nowhere. */
        String pick(String kind, int index) {
            List<String> ids = created.getOrDefault(kind, List.of());
            return ids.isEmpty() ? "missing-" + kind : ids.get(index % ids.size());
        }

        String answer(Step step) {
            try {
                return render(step.apply(this));
            } catch (DomainException e) {
                return "error " + e.code() + ": " + withAliases(e.getMessage());
            } catch (RuntimeException e) {
                return "crash " + e.getClass().getSimpleName();
            }
        }

        String overview() {
            return answer(b -> List.of(b.tally.billing().overview(b.user, Optional.empty()),
                    b.tally.usage().usage(b.user, Optional.empty()),
                    METERS.stream().map(meter -> b.tally.meters().value(b.user, meter.key(), true, Optional.empty()))
                            .map(value -> List.of(value.value(), value.groups().stream()
                                    .map(group -> group.group() + "=" + group.value().stripTrailingZeros()
                                            .toPlainString()).sorted().toList()))
                            .toList()));
        }

        private String answer(Function<Backend, Object> read) {
            return answer(new Read(read));
        }

        private String withAliases(String message) {
            String text = message;
            for (Map.Entry<String, String> alias : aliases.entrySet()) {
                text = text.replace(alias.getKey(), alias.getValue());
            }
            return text;
        }

        /** Any answer as text: records by component, decimals by value, ids by their alias. */
        String render(Object value) {
            if (value == null) {
                return "null";
            }
            if (value instanceof BigDecimal decimal) {
                return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
            }
            if (value instanceof String text) {
                return aliases.getOrDefault(text, text);
            }
            if (value instanceof Optional<?> optional) {
                return optional.map(v -> "?" + render(v)).orElse("?none");
            }
            if (value instanceof Outcome.Done<?> done) {
                return "done " + render(done.value());
            }
            if (value instanceof Outcome.Refused<?> refused) {
                return "refused " + render(refused.refusal());
            }
            if (value instanceof Collection<?> items) {
                return items.stream().map(this::render).collect(Collectors.joining(", ", "[", "]"));
            }
            if (value instanceof Map<?, ?> map) {
                return new TreeMap<>(map.entrySet().stream().collect(Collectors.toMap(
                        e -> render(e.getKey()), e -> render(e.getValue())))).toString();
            }
            if (value.getClass().isRecord()) {
                StringBuilder text = new StringBuilder(value.getClass().getSimpleName()).append('{');
                for (RecordComponent component : value.getClass().getRecordComponents()) {
                    try {
                        text.append(component.getName()).append('=')
                                .append(render(component.getAccessor().invoke(value))).append(' ');
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return text.append('}').toString();
            }
            return value.toString();
        }
    }

    /** A read made as a step, so that it is answered and rendered like one. */
    private record Read(Function<Backend, Object> read) implements Step {
        public Object apply(Backend b) {
            return read.apply(b);
        }
    }

    // --- generating sequences ---

    @Provide
    Arbitrary<List<Step>> sequences() {
        return Arbitraries.frequencyOf(
                        Tuple.of(16, usage()),
                        Tuple.of(4, apiCall()),
                        Tuple.of(4, startRun()),
                        Tuple.of(4, completeRun()),
                        Tuple.of(1, Arbitraries.just(new SweepRuns())),
                        Tuple.of(3, openSession()),
                        Tuple.of(2, completeSession()),
                        Tuple.of(5, credit()),
                        Tuple.of(2, issueCode()),
                        Tuple.of(2, redeemCode()),
                        Tuple.of(1, Arbitraries.of(true, false).map(ChangePlan::new)),
                        Tuple.of(1, rePlan()),
                        Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, 1),
                                Arbitraries.of("0", "3", "12"), Arbitraries.longs().between(1, 3L * 86_400).optional(0.5))
                                .as(OverrideStep::new)),
                        Tuple.of(1, Arbitraries.just(new RemoveOverride())),
                        Tuple.of(1, Combinators.combine(Arbitraries.of(true, false),
                                Arbitraries.longs().between(1, 40L * 86_400).optional(0.7)).as(ScheduleChange::new)),
                        Tuple.of(1, priceModel()),
                        Tuple.of(1, rebill()),
                        Tuple.of(1, key().map(Reset::new)),
                        Tuple.of(4, advance()),
                        Tuple.of(3, hold()),
                        Tuple.of(3, endHold()),
                        Tuple.of(2, allocate()),
                        Tuple.of(1, check()),
                        Tuple.of(3, Combinators.combine(Arbitraries.integers().between(0, 6),
                                Arbitraries.of(false, false, false, true)).as(VoidStep::new)),
                        Tuple.of(1, Arbitraries.longs().between(0, 60L * 86_400).map(ReadPast::new)))
                .map(step -> (Step) step)
                .list().ofMinSize(1).ofMaxSize(MAX_STEPS).withSizeDistribution(RandomDistribution.uniform());
    }

    private static Arbitrary<Optional<Integer>> key() {
        return Arbitraries.integers().between(0, 5).optional(0.7);
    }

    private static Arbitrary<Optional<Long>> ago() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 3L * 86_400),
                Arbitraries.longs().between(0, 40L * 86_400),
                Arbitraries.longs().between(-900, 0)).optional(0.5);
    }

    private static Arbitrary<Step> usage() {
        Arbitrary<Item> item = Combinators.combine(Arbitraries.integers().between(0, METRICS.size() - 1),
                Arbitraries.frequencyOf(
                        Tuple.of(20, Arbitraries.longs().between(1, 8).map(BigDecimal::valueOf)),
                        Tuple.of(1, Arbitraries.of(new BigDecimal("0.5"), new BigDecimal("1e16"),
                                new BigDecimal("1e15"), new BigDecimal("0.0000001")))),
                ago(), Arbitraries.integers().between(0, 6), Arbitraries.of(true, false)).as(Item::new);
        return Combinators.combine(item.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(true, false))
                .as(Usage::new);
    }

    private static Arbitrary<Step> apiCall() {
        return Combinators.combine(Arbitraries.of(true, false),
                Arbitraries.of("openai", "anthropic").optional(0.3),
                Arbitraries.integers().between(0, 2).optional(0.7),
                Arbitraries.of("0", "0.5", "1.25", "0.000001"), ago(), Arbitraries.of(true, false), key())
                .as(ApiCallStep::new);
    }

    private static Arbitrary<Step> rePlan() {
        return Combinators.combine(Arbitraries.integers().between(0, PLANNED.size() - 1),
                        Arbitraries.of("0", "1", "4", "20", "0.5", "2.5", "99999999999.999999"))
                .as(Map::entry).list().ofMinSize(1).ofMaxSize(5).map(RePlan::new);
    }

    private static Arbitrary<Step> priceModel() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of("0.001", "0.5", "-1"),
                Arbitraries.of("openai", "anthropic", "google")).as(PriceModel::new);
    }

    private static Arbitrary<Step> rebill() {
        return Combinators.combine(Arbitraries.of(CycleKind.class),
                Arbitraries.longs().between(0, 50L * 86_400).optional(0.5),
                Arbitraries.of("UTC", "Europe/Berlin", "Asia/Tokyo", "America/New_York").optional(0.5))
                .as(Rebill::new);
    }

    private static Arbitrary<Step> startRun() {
        return key().map(StartRunStep::new);
    }

    private static Arbitrary<Step> completeRun() {
        return Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.of(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.RUNNING),
                Arbitraries.oneOf(Arbitraries.longs().between(0, 5000),
                        Arbitraries.of(RunCompletion.MAX_COUNT, RunCompletion.MAX_COUNT + 1, Long.MAX_VALUE)),
                Arbitraries.oneOf(Arbitraries.longs().between(0, 5000),
                        Arbitraries.of(RunCompletion.MAX_COUNT, Long.MAX_VALUE, -1L)),
                Arbitraries.of("0.01", "1.5", "0").optional(0.3), key()).as(CompleteRunStep::new);
    }

    private static Arbitrary<Step> openSession() {
        return Combinators.combine(Arbitraries.of("a", "b"), Arbitraries.of("1", "50", "-1").optional(0.3), key())
                .as(OpenSession::new);
    }

    private static Arbitrary<Step> completeSession() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.longs().between(-1, 1500),
                key()).as(CompleteSessionStep::new);
    }

    private static Arbitrary<Step> credit() {
        return Combinators.combine(Arbitraries.of(CreditWrite.Kind.class),
                Arbitraries.oneOf(Arbitraries.longs().between(-5, 20),
                        Arbitraries.of(CreditWrite.MAX_AMOUNT, Long.MAX_VALUE, 5_000_000_000_000_000_000L)),
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 10)).as(Credit::new);
    }

    private static Arbitrary<Step> issueCode() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), key()).as(IssueCode::new);
    }

    private static Arbitrary<Step> redeemCode() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), key()).as(RedeemCode::new);
    }

    private static Arbitrary<Step> hold() {
        return Combinators.combine(Arbitraries.integers().between(0, METRICS.size() - 1),
                Arbitraries.longs().between(1, 6), Arbitraries.of(30L, 3_600L, 100_000L).optional(0.5), key())
                .as(HoldStep::new);
    }

    private static Arbitrary<Step> endHold() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.of(true, false),
                Arbitraries.longs().between(0, 7).optional(0.6), key())
                .as((hold, commit, quantity, key) -> new EndHoldStep(hold, commit, commit ? quantity : Optional.empty(),
                        key));
    }

    private static Arbitrary<Step> allocate() {
        return Combinators.combine(Arbitraries.longs().between(-3, 3), Arbitraries.of(false, false, false, true), key())
                .as(AllocateStep::new);
    }

    private static Arbitrary<Step> check() {
        return Combinators.combine(Arbitraries.integers().between(0, METRICS.size()), Arbitraries.longs().between(1, 9))
                .as(CheckStep::new);
    }

    private static Arbitrary<Step> advance() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 120), Arbitraries.longs().between(3_600, 7_200),
                Arbitraries.longs().between(86_400, 12L * 86_400)).map(Advance::new);
    }
}
