package dev.tally.bootstrap;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.activation.IssueCode;
import dev.tally.application.activation.RedeemCode;
import dev.tally.application.allocation.SetAllocation;
import dev.tally.application.cost.RecordApiCall;
import dev.tally.application.credit.CreditWrite;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.run.CompleteRun;
import dev.tally.application.run.StartRun;
import dev.tally.application.session.CompleteSession;
import dev.tally.application.session.CreateSession;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.user.PutUser;
import dev.tally.domain.DomainException;
import dev.tally.domain.activation.ActivationCode;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.plan.CreditsPerPeriod;
import dev.tally.domain.period.CycleKind;
import dev.tally.domain.plan.DisplayNames;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.Feature;
import dev.tally.domain.plan.Features;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.plan.MetricRates;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.run.ModelPrice;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.session.Session;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A demo: two plans, two users and a month of history (runs, sessions, usage, credits with
 * refunds, API calls of several providers, activation codes), written through the use cases
 * themselves with a replayed clock, so every figure is derived the way real usage is.
 *
 * <p>{@code acme} is on Pro, anchored 20 days ago, with a busy month; {@code globex} is on Free
 * and has used all 5 of its runs, so the next run it starts is refused.
 */
final class DemoData {

    static final UserId ACME = new UserId("acme");
    static final UserId GLOBEX = new UserId("globex");
    private static final MetricKey SEATS = new MetricKey("seats");
    private static final MetricKey REQUESTS = new MetricKey("requests");
    private static final MetricKey TOKENS = new MetricKey("tokens");
    private static final MetricKey STORAGE_GB = new MetricKey("storage_gb");
    /** The names the demo's plans show their metrics by; a metric they do not name is shown by its key. */
    static final DisplayNames DISPLAY_NAMES = displayNames(Map.ofEntries(Map.entry("runs", "Report runs"),
            Map.entry("sessions", "Sessions"), Map.entry("session_minutes", "Session minutes"),
            Map.entry("activation_codes", "Activation codes"), Map.entry("activation_codes.redeemed", "Codes redeemed"),
            Map.entry("cost_usd", "API spend (USD)"), Map.entry("api_calls.audio", "Audio API calls"),
            Map.entry("api_calls.image", "Image API calls"), Map.entry("api_calls.llm", "LLM calls"),
            Map.entry("api_calls.search", "Searches"), Map.entry("api_calls.video", "Video API calls"),
            Map.entry("exports", "Exports"), Map.entry("seats", "Seats")));
    static final PlanId PRO = new PlanId("pro");
    static final PlanId FREE = new PlanId("free");

    private static final int DAYS = 30;
    private static final String[] OPERATIONS = {"upload", "query", "search"};

    private final ManualClock clock;
    private final Tally tally;
    private final Instant now;

    private DemoData(TallyStorage storage, Instant now) {
        this.now = now;
        this.clock = new ManualClock(now);
        this.tally = Tally.create(storage, clock, Tally.Settings.DEFAULTS);
    }

    /** Loads the demo unless it is there already; returns whether it loaded it. */
    static boolean load(TallyStorage storage, Clock realClock) {
        DemoData demo = new DemoData(storage, realClock.instant().truncatedTo(ChronoUnit.MINUTES));
        try {
            demo.tally.users().get(ACME);
            return false;
        } catch (DomainException missing) {
            demo.loadAll();
            return true;
        }
    }

    /** A plan's features (R73): single sign-on on or off, days of data kept, a support tier. */
    private static Features features(boolean sso, int retentionDays, String support) {
        Map<String, Feature> features = new LinkedHashMap<>();
        features.put("sso", Feature.flag(sso));
        features.put("retention_days", Feature.number(BigDecimal.valueOf(retentionDays)));
        features.put("support_tier", Feature.text(support));
        return new Features(features);
    }

    private void loadAll() {
        Instant start = now.minus(Duration.ofDays(DAYS)).truncatedTo(ChronoUnit.DAYS);
        at(start);
        tally.prices().put(new ModelPrice("claude-3-5-sonnet", new BigDecimal("0.003"), new BigDecimal("0.015"),
                "anthropic"));
        tally.plans().put(new Plan(PRO, "Pro", limits(Map.of("runs", 50, "sessions", 100, "session_minutes", 600,
                "activation_codes", 20, "cost_usd", 25, "api_calls.video", 40, "exports", 1000,
                "active_end_users", 50, "peak_storage_gb", 50)),
                Optional.of(BigDecimal.valueOf(200)), Plan.DEFAULT_WARNING_THRESHOLD_PERCENT,
                limits(Map.of("seats", 10))).withDisplayNames(DISPLAY_NAMES)
                .withFeatures(features(true, 365, "priority"))
                // 500 credits every period, spent before purchases; at most 200 unspent carried over (R37).
                .withCreditsPerPeriod(Optional.of(new CreditsPerPeriod(500, 10, Optional.of(200L))))
                // Beside 1 000 exports a period, at most 10 a minute and 5 at once (R90).
                .withRateLimits(new MetricRates(Map.of(new MetricKey("exports"), new MetricRate(10, 60, 4)))));
        tally.plans().put(new Plan(FREE, "Free", limits(Map.of("runs", 5, "sessions", 10, "session_minutes", 60,
                "activation_codes", 3, "cost_usd", 1, "exports", 50, "active_end_users", 3, "peak_storage_gb", 5)),
                Optional.of(BigDecimal.valueOf(25)), Plan.DEFAULT_WARNING_THRESHOLD_PERCENT,
                limits(Map.of("seats", 2))).withDisplayNames(DISPLAY_NAMES)
                .withFeatures(features(false, 30, "community")));
        meters();
        Instant acmeAnchor = now.minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.DAYS);
        tally.users().put(new PutUser(ACME, PRO, Optional.of(CycleKind.ANNIVERSARY), Optional.of(acmeAnchor),
                Optional.of(ZoneOffset.UTC)));
        Instant globexAnchor = now.minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.DAYS);
        tally.users().put(new PutUser(GLOBEX, FREE, Optional.of(CycleKind.ANNIVERSARY), Optional.of(globexAnchor),
                Optional.of(ZoneOffset.UTC)));
        credit(CreditWrite.purchase(ACME, 1000, key("acme-purchase")));
        // Seats are an allocation (R72): acme has 4 of 10, globex both of its 2.
        tally.allocations().set(new SetAllocation(ACME, SEATS, BigDecimal.valueOf(4), Optional.of(key("acme-seats"))));
        tally.allocations().set(new SetAllocation(GLOBEX, SEATS, BigDecimal.valueOf(2), Optional.of(key("globex-seats"))));

        for (int day = 0; day < DAYS; day++) {
            Instant morning = start.plus(Duration.ofDays(day)).plus(Duration.ofHours(9));
            if (!morning.plus(Duration.ofHours(6)).isBefore(now)) {
                break;
            }
            acmeDay(day, morning);
        }
        globexHistory(globexAnchor);
        at(now);
    }

    private void acmeDay(int day, Instant morning) {
        RunStatus status = day % 6 == 5 ? RunStatus.FAILED : day % 9 == 8 ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
        run(ACME, morning, status, day % 2 == 0 ? "gpt-4o-mini" : "claude-3-5-sonnet", 8_000 + day * 350L);
        if (day % 2 == 0) {
            session(morning.plus(Duration.ofHours(2)), "Customer call " + (day / 2 + 1), 600 + day * 60L);
        }
        at(morning.plus(Duration.ofHours(3)));
        tally.usage().record(new RecordUsage(ACME, List.of(new UsageItem(new MetricKey("exports"),
                BigDecimal.valueOf(5 + day % 16), Optional.empty(), key("acme-exports-" + day),
                Map.of("format", day % 3 == 0 ? "pdf" : "csv"))), false)).orElseThrow();

        // What the meters read: requests by end user, LLM tokens by model, stored gigabytes.
        String model = day % 3 == 0 ? "gpt-4o" : day % 3 == 1 ? "gpt-4o-mini" : "claude-3-5-sonnet";
        tally.usage().record(new RecordUsage(ACME, List.of(
                new UsageItem(REQUESTS, BigDecimal.ONE, Optional.empty(), key("acme-request-" + day),
                        Map.of("end_user", "user-" + (day % 12 + 1))),
                new UsageItem(TOKENS, BigDecimal.valueOf(1_000 + day * 120L), Optional.empty(),
                        key("acme-tokens-" + day), Map.of("model", model)),
                new UsageItem(STORAGE_GB, BigDecimal.valueOf(12 + day % 7 + day / 5), Optional.empty(),
                        key("acme-storage-" + day), Map.of())), false)).orElseThrow();

        String operation = OPERATIONS[day % OPERATIONS.length];
        long amount = switch (operation) {
            case "upload" -> 10;
            case "query" -> 5;
            default -> 2;
        };
        if (day == DAYS - 4) {
            // A promotion: 100 credits spent before anything else, lapsing in two weeks (R35, R36).
            credit(CreditWrite.grant(ACME, 100, key("acme-promotion"), Optional.of(0),
                    Optional.of(now.plus(Duration.ofDays(14)).truncatedTo(ChronoUnit.DAYS))));
        }
        CreditTransaction spent = credit(CreditWrite.spend(ACME, amount, operation, key("acme-spend-" + day)));
        if ("upload".equals(operation) && day % 2 == 0) {
            credit(CreditWrite.refund(ACME, spent.id(), 3, key("acme-refund-" + day)));
        } else if ("query".equals(operation) && day % 4 == 1) {
            credit(CreditWrite.refund(ACME, spent.id(), 5, key("acme-refund-" + day)));
        }

        Instant afternoon = morning.plus(Duration.ofHours(5));
        apiCall(afternoon, "llm", null, "gpt-4o-mini", "0.021", 200, 850);
        apiCall(afternoon, "search", null, "tavily-search", "0.008", 200, 420);
        if (day % 2 == 0) {
            apiCall(afternoon, "llm", null, "claude-3-5-sonnet", "0.054", 200, 2300);
            apiCall(afternoon, "audio", null, "whisper-1", "0.006", 200, 1900);
        }
        if (day % 3 == 0) {
            apiCall(afternoon, "image", null, "dall-e-3", "0.040", 200, 7400);
            ActivationCode code = tally.activationCodes().issue(IssueCode.of(ACME, 2)).orElseThrow();
            at(afternoon.plus(Duration.ofHours(1)));
            tally.activationCodes().redeem(RedeemCode.asOperator(code.code()));
        }
        if (day % 4 == 0) {
            apiCall(afternoon, "video", "wavespeed", "wan-2.1", "0.300", day % 8 == 0 ? 200 : 500, 41_000);
        }
    }

    private void globexHistory(Instant anchor) {
        for (int i = 0; i < 5; i++) {
            run(GLOBEX, anchor.plus(Duration.ofDays(i + 1)).plus(Duration.ofHours(14)), RunStatus.SUCCEEDED,
                    "gpt-4o-mini", 3_000);
        }
        at(anchor.plus(Duration.ofDays(2)));
        credit(CreditWrite.purchase(GLOBEX, 20, key("globex-purchase")));
        // Two of the free plan's three active end users.
        tally.usage().record(new RecordUsage(GLOBEX, List.of(
                new UsageItem(REQUESTS, BigDecimal.ONE, Optional.empty(), key("globex-request-1"),
                        Map.of("end_user", "ann")),
                new UsageItem(REQUESTS, BigDecimal.ONE, Optional.empty(), key("globex-request-2"),
                        Map.of("end_user", "bob")),
                new UsageItem(STORAGE_GB, BigDecimal.valueOf(3), Optional.empty(), key("globex-storage"),
                        Map.of())), true)).orElseThrow();
        CreditTransaction export = credit(CreditWrite.spend(GLOBEX, 7, "export", key("globex-export")));
        credit(CreditWrite.refund(GLOBEX, export.id(), 5, key("globex-refund")));
    }

    /** A meter per aggregation (R81), over the demo's requests, tokens and stored gigabytes. */
    private void meters() {
        List.of(new Meter(new MetricKey("active_end_users"), REQUESTS, Aggregation.UNIQUE_COUNT,
                        Optional.of("end_user"), Map.of(), List.of(), Optional.of("Active end users")),
                new Meter(new MetricKey("gpt_tokens"), TOKENS, Aggregation.SUM, Optional.empty(),
                        Map.of("model", List.of("gpt-4o", "gpt-4o-mini")), List.of("model"),
                        Optional.of("GPT tokens")),
                new Meter(new MetricKey("llm_calls"), TOKENS, Aggregation.COUNT, Optional.empty(), Map.of(),
                        List.of("model"), Optional.of("LLM calls")),
                new Meter(new MetricKey("peak_storage_gb"), STORAGE_GB, Aggregation.MAX, Optional.empty(), Map.of(),
                        List.of(), Optional.of("Peak storage (GB)")),
                new Meter(new MetricKey("storage_gb_now"), STORAGE_GB, Aggregation.LATEST, Optional.empty(),
                        Map.of(), List.of(), Optional.of("Storage now (GB)")))
                .forEach(meter -> tally.meters().put(meter));
    }

    private void run(UserId user, Instant startedAt, RunStatus status, String model, long tokensInput) {
        at(startedAt);
        ReportRun run = tally.runs().start(new StartRun(user, Optional.of("repo-" + user), Optional.empty(),
                Optional.empty())).orElseThrow();
        at(startedAt.plus(Duration.ofMinutes(20)));
        RunCompletion completion = status == RunStatus.SUCCEEDED
                ? new RunCompletion(status, tokensInput, tokensInput / 4, Optional.of(model), 12, Optional.empty(),
                Optional.empty(), Optional.empty())
                : new RunCompletion(status, tokensInput / 2, 0, Optional.of(model), 0, Optional.empty(),
                Optional.of(status == RunStatus.FAILED ? "repository_unreachable" : "cancelled_by_user"),
                Optional.empty());
        tally.runs().complete(CompleteRun.of(user, run.id(), completion));
    }

    private void session(Instant createdAt, String title, long seconds) {
        at(createdAt);
        Session session = tally.sessions().create(new CreateSession(ACME, title, Optional.of(BigDecimal.valueOf(40)),
                Optional.empty())).orElseThrow();
        at(createdAt.plus(Duration.ofSeconds(seconds)));
        tally.sessions().complete(CompleteSession.of(ACME, session.id(), seconds));
    }

    private void apiCall(Instant at, String type, String provider, String model, String cost, int status,
                         long latency) {
        at(at);
        tally.apiCalls().record(new RecordApiCall(ACME, type, Optional.ofNullable(provider), Optional.of(model),
                new BigDecimal(cost), OptionalInt.of(status), OptionalLong.of(latency), Optional.empty(), false,
                Optional.empty())).orElseThrow();
    }

    private CreditTransaction credit(CreditWrite write) {
        return tally.credits().write(write).orElseThrow();
    }

    private void at(Instant instant) {
        clock.set(instant.isAfter(now) ? now : instant);
    }

    private static IdempotencyKey key(String value) {
        return new IdempotencyKey("demo-" + value);
    }

    private static DisplayNames displayNames(Map<String, String> byMetric) {
        Map<MetricKey, String> names = new LinkedHashMap<>();
        new TreeMap<>(byMetric).forEach((metric, name) -> names.put(new MetricKey(metric), name));
        return new DisplayNames(names);
    }

    private static PlanLimits limits(Map<String, Integer> byMetric) {
        Map<MetricKey, Limit> limits = new LinkedHashMap<>();
        byMetric.forEach((metric, max) -> limits.put(new MetricKey(metric), Limit.of(max)));
        return new PlanLimits(limits);
    }
}
