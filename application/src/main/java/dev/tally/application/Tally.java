package dev.tally.application;

import dev.tally.application.access.AccessService;
import dev.tally.application.activation.ActivationCodeService;
import dev.tally.application.allocation.AllocationService;
import dev.tally.application.audit.AuditService;
import dev.tally.application.export.ExportService;
import dev.tally.application.usage.CorrectionService;
import dev.tally.application.billing.BillingService;
import dev.tally.application.billing.UserListService;
import dev.tally.application.cost.ApiCallService;
import dev.tally.application.event.EventRecorder;
import dev.tally.application.event.EventService;
import dev.tally.application.credit.CreditService;
import dev.tally.application.credit.Credits;
import dev.tally.application.entitlement.EntitlementService;
import dev.tally.application.health.HealthService;
import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.override.OverrideService;
import dev.tally.application.plan.PlanService;
import dev.tally.application.reservation.ReservationService;
import dev.tally.application.port.HostResolver;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.UseCaseMetrics;
import dev.tally.application.port.WebhookSender;
import dev.tally.application.webhook.UrlGuard;
import dev.tally.application.webhook.WebhookDispatcher;
import dev.tally.application.webhook.WebhookService;
import dev.tally.application.run.ModelPriceService;
import dev.tally.application.run.ReportRunService;
import dev.tally.application.session.SessionService;
import dev.tally.application.usage.Metering;
import dev.tally.application.usage.UsageService;
import dev.tally.application.user.Accounts;
import dev.tally.application.user.UserService;
import dev.tally.domain.cost.ProviderDetector;
import dev.tally.domain.plan.MetricBound;
import dev.tally.domain.usage.LateEventPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Every use case of Tally, wired by hand over one {@link TallyStorage}. Embedders call
 * {@link #inMemory(Clock)} or {@link #create}; a dependency-injection container can instead
 * construct the services directly (their constructors carry {@code @Inject}).
 *
 * <pre>{@code
 * Tally tally = Tally.inMemory(Clock.systemUTC());
 * tally.plans().put(Plan.of(new PlanId("pro"), "Pro", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(50)))));
 * tally.users().put(PutUser.of(new UserId("acme"), new PlanId("pro")));
 * Outcome<ReportRun> run = tally.runs().start(StartRun.of(new UserId("acme")));
 * }</pre>
 */
public final class Tally {

    /**
     * Operator settings.
     *
     * @param lateEvents which {@code occurred_at} values are accepted (R21)
     * @param runTimeout how long a run may stay running (R26)
     * @param providers  the model-name table of provider detection (R41)
     * @param allowPrivateWebhooks whether webhook URLs may reach loopback and private addresses (R77)
     * @param maxMetricsPerUser the distinct metrics a user may have per period when its plan sets no
     *                          {@code max_metrics} (R67), 0 to {@value MetricBound#LARGEST}
     * @param webhookHosts how webhook hosts are resolved, and this host's own addresses (R77)
     */
    public record Settings(LateEventPolicy lateEvents, Duration runTimeout, ProviderDetector providers,
                           boolean allowPrivateWebhooks, int maxMetricsPerUser, HostResolver webhookHosts) {

        /** Default lateness, a one-hour run timeout, the shipped provider table, private webhooks refused. */
        public static final Settings DEFAULTS =
                new Settings(LateEventPolicy.DEFAULT, Duration.ofHours(1), ProviderDetector.withDefaults());

        /** Checks the settings: none is null, the metric bound within its range. */
        public Settings {
            Objects.requireNonNull(lateEvents, "lateEvents");
            Objects.requireNonNull(runTimeout, "runTimeout");
            Objects.requireNonNull(providers, "providers");
            MetricBound.checked(maxMetricsPerUser, "max metrics per user");
            Objects.requireNonNull(webhookHosts, "webhookHosts");
        }

        /**
         * Settings that refuse private webhook URLs and resolve their hosts with the JVM's resolver,
         * with the default bound of metrics.
         */
        public Settings(LateEventPolicy lateEvents, Duration runTimeout, ProviderDetector providers) {
            this(lateEvents, runTimeout, providers, false, MetricBound.DEFAULT_MAX, HostResolver.SYSTEM);
        }

        /** These settings, with private webhook URLs allowed or not (R77). */
        public Settings allowingPrivateWebhooks(boolean allow) {
            return new Settings(lateEvents, runTimeout, providers, allow, maxMetricsPerUser, webhookHosts);
        }

        /** These settings, with {@code max} distinct metrics per user and period by default (R67). */
        public Settings withMaxMetricsPerUser(int max) {
            return new Settings(lateEvents, runTimeout, providers, allowPrivateWebhooks, max, webhookHosts);
        }

        /** These settings, resolving webhook hosts with {@code hosts} (R77). */
        public Settings resolvingWebhookHostsWith(HostResolver hosts) {
            return new Settings(lateEvents, runTimeout, providers, allowPrivateWebhooks, maxMetricsPerUser, hosts);
        }
    }

    private final TallyStorage storage;
    private final Clock clock;
    private final PlanService plans;
    private final ModelPriceService prices;
    private final dev.tally.application.meter.MeterService meters;
    private final UserService users;
    private final UserListService userList;
    private final UsageService usage;
    private final SessionService sessions;
    private final ReportRunService runs;
    private final CreditService credits;
    private final ApiCallService apiCalls;
    private final ActivationCodeService activationCodes;
    private final BillingService billing;
    private final HealthService health;
    private final AccessService access;
    private final EntitlementService entitlements;
    private final AllocationService allocations;
    private final ReservationService reservations;
    private final EventService events;
    private final WebhookService webhooks;
    private final UrlGuard urlGuard;
    private final AuditService audit;
    private final CorrectionService corrections;
    private final ExportService exports;
    private final OverrideService overrides;

    private Tally(TallyStorage storage, Clock clock, Settings settings, UseCaseMetrics metrics) {
        this.storage = storage;
        this.clock = clock;
        Accounts accounts = new Accounts(storage.users(), storage.plans(), storage.planTerms(), clock);
        IdempotentWrites writes = new IdempotentWrites(storage.idempotency(), storage.transactions(), clock);
        EventRecorder recorder = new EventRecorder(storage.events(), storage.webhooks(), storage.transactions(), clock);
        this.events = new EventService(storage.events(), recorder);
        this.urlGuard = new UrlGuard(settings.allowPrivateWebhooks(), settings.webhookHosts());
        this.webhooks = new WebhookService(storage.webhooks(), storage.events(), storage.transactions(), urlGuard,
                writes, clock);
        this.plans = new PlanService(storage.plans(), storage.transactions());
        this.prices = new ModelPriceService(storage.modelPrices(), storage.transactions());
        this.users = new UserService(storage.users(), storage.plans(), storage.usage(), storage.transactions(), writes,
                clock, storage.planTerms());
        this.userList = new UserListService(storage.users(), storage.plans(), storage.usage(), clock,
                storage.planTerms());
        this.overrides = new OverrideService(accounts, storage.planTerms(), storage.transactions(), clock);
        Credits creditSteps = new Credits(storage.credits(), recorder, storage.transactions());
        Metering metering = new Metering(storage.usage(), accounts, clock, recorder, settings.maxMetricsPerUser(),
                storage.rates(), creditSteps);
        this.meters = new dev.tally.application.meter.MeterService(storage.usage(), accounts, clock);
        this.usage = new UsageService(metering, accounts, storage.transactions(), settings.lateEvents(), clock, metrics);
        this.sessions = new SessionService(storage.sessions(), metering, accounts, writes, clock, metrics);
        this.runs = new ReportRunService(storage.runs(), storage.usage(), metering, prices, accounts, writes,
                storage.transactions(), clock, settings.runTimeout(), metrics, recorder);
        this.credits = new CreditService(storage.credits(), accounts, writes, clock, metrics, recorder,
                storage.transactions());
        this.apiCalls = new ApiCallService(storage.apiCalls(), storage.modelPrices(), settings.providers(),
                metering, accounts, writes, settings.lateEvents(), clock, metrics);
        this.activationCodes = new ActivationCodeService(storage.activationCodes(), metering, accounts, writes, clock,
                metrics);
        this.billing = new BillingService(accounts, metering, runs, credits, storage.credits(), apiCalls,
                activationCodes, storage.allocations(), clock);
        this.health = new HealthService(clock);
        this.access = new AccessService(storage.apiKeys(), accounts, storage.transactions(), writes, clock);
        this.entitlements = new EntitlementService(accounts, metering, storage.allocations(), clock);
        this.allocations = new AllocationService(storage.allocations(), accounts, writes, recorder);
        this.reservations = new ReservationService(storage.usage(), metering, accounts, writes, clock);
        this.audit = new AuditService(storage.audit(), storage.transactions(), clock);
        this.corrections = new CorrectionService(storage.usage(), accounts, storage.transactions(),
                settings.lateEvents(), clock, recorder, creditSteps);
        this.exports = new ExportService(storage.usage());
    }

    /** Tally over fresh in-memory storage with default settings. */
    public static Tally inMemory(Clock clock) {
        return create(InMemoryStorage.create(), clock, Settings.DEFAULTS);
    }

    /** Tally over {@code storage}; installs the shipped model prices if they are missing. */
    public static Tally create(TallyStorage storage, Clock clock, Settings settings) {
        return create(storage, clock, settings, UseCaseMetrics.NONE);
    }

    /**
     * Tally over {@code storage}, reporting every decision, denial and its latency per use case to
     * {@code metrics} (such as {@code MicrometerUseCaseMetrics} of {@code tally-adapters-micrometer} over an
     * embedder's {@code MeterRegistry}); installs the shipped model prices if they are missing.
     */
    public static Tally create(TallyStorage storage, Clock clock, Settings settings, UseCaseMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        Tally tally = new Tally(storage, clock, settings, metrics);
        tally.prices.installDefaults();
        return tally;
    }

    /** The storage every use case reads and writes. */
    public TallyStorage storage() {
        return storage;
    }

    /** The clock every use case reads. */
    public Clock clock() {
        return clock;
    }

    /** Plans and their limits. */
    public PlanService plans() {
        return plans;
    }

    /** Meters: definitions and values (R81, R83). */
    public dev.tally.application.meter.MeterService meters() {
        return meters;
    }

    /** Model prices, for the cost of API calls (R41). */
    public ModelPriceService prices() {
        return prices;
    }

    /** Per-user overrides of plans' limits, allocations and features (R73). */
    public OverrideService overrides() {
        return overrides;
    }

    /** Users, their plans and billing periods. */
    public UserService users() {
        return users;
    }

    /** The operator's list of users by their worst metric (R53). */
    public UserListService userList() {
        return userList;
    }

    /** Metered usage: record, enforced or not, and read totals. */
    public UsageService usage() {
        return usage;
    }

    /** Sessions, checked against their limits. */
    public SessionService sessions() {
        return sessions;
    }

    /** Report runs, started against the runs limit and completed. */
    public ReportRunService runs() {
        return runs;
    }

    /** The credit balance: purchases, grants, spends, refunds, adjustments. */
    public CreditService credits() {
        return credits;
    }

    /** API calls and their token costs. */
    public ApiCallService apiCalls() {
        return apiCalls;
    }

    /** Activation codes, issued and redeemed. */
    public ActivationCodeService activationCodes() {
        return activationCodes;
    }

    /** The billing overview of a user's period. */
    public BillingService billing() {
        return billing;
    }

    /** Liveness and readiness. */
    public HealthService health() {
        return health;
    }

    /** API keys and who a key acts for. */
    public AccessService access() {
        return access;
    }

    /** In-process entitlement checks (R70): the cheap question to ask before doing the work. */
    public EntitlementService entitlements() {
        return entitlements;
    }

    /** Allocations such as seats and projects (R72). */
    public AllocationService allocations() {
        return allocations;
    }

    /** Reservations: hold before work of unknown size, commit what it used (R71). */
    public ReservationService reservations() {
        return reservations;
    }

    /** Webhook endpoints, their deliveries and redelivery (R76, R77). */
    public WebhookService webhooks() {
        return webhooks;
    }

    /**
     * A dispatcher of this Tally's due webhook deliveries through {@code sender} that makes one
     * attempt at a time in the thread calling {@link WebhookDispatcher#dispatchDue} (R76).
     */
    public WebhookDispatcher webhookDispatcher(WebhookSender sender) {
        return webhookDispatcher(sender, Runnable::run, 1);
    }

    /**
     * A dispatcher of this Tally's due webhook deliveries through {@code sender}, making up to
     * {@code inFlight} attempts at once on {@code executor} (R76, R77): a server node runs one with
     * {@link WebhookDispatcher#IN_FLIGHT} threads and calls {@link WebhookDispatcher#dispatchDue}
     * whenever an attempt ends, and every so often.
     */
    public WebhookDispatcher webhookDispatcher(WebhookSender sender, Executor executor, int inFlight) {
        return new WebhookDispatcher(storage.webhooks(), storage.transactions(), sender, urlGuard, clock, executor,
                inFlight);
    }

    /** The events writes created (R75), and in-process listeners for new ones (R78). */
    public EventService events() {
        return events;
    }

    /** The audit log of operator writes (R93). */
    public AuditService audit() {
        return audit;
    }

    /** Corrections of recorded usage: voids (R92). */
    public CorrectionService corrections() {
        return corrections;
    }

    /** Exports of usage records and their voids (R94). */
    public ExportService exports() {
        return exports;
    }
}
