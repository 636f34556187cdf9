package dev.tally.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.activation.IssueCode;
import dev.tally.application.activation.RedeemCode;
import dev.tally.application.credit.CreditWrite;
import dev.tally.application.credit.PeriodSelector;
import dev.tally.application.run.CompleteRun;
import dev.tally.application.run.StartRun;
import dev.tally.application.session.CompleteSession;
import dev.tally.application.session.CreateSession;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.UsageReport;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.usecase.Paging;
import dev.tally.application.user.PutUser;
import dev.tally.application.user.ResetBillingPeriod;
import dev.tally.domain.Refusal;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditUsageReport;
import dev.tally.domain.credit.InsufficientCredits;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.overview.BillingOverview;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricStatus;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunStatistics;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.session.Session;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of the home-grown billing bugs Tally was designed from, through the use cases
 * over in-memory storage: each one must come out right.
 */
class SeedScenariosTest {

    private static final UserId ACME = new UserId("acme");
    private static final PlanId PRO = new PlanId("pro");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-10T09:00:00Z"));
    private final AtomicInteger keys = new AtomicInteger();
    private Tally tally;

    @BeforeEach
    void setUp() {
        tally = Tally.inMemory(clock);
        tally.plans().put(Plan.of(PRO, "Pro", new PlanLimits(Map.of(
                MetricKey.RUNS, Limit.of(50),
                MetricKey.SESSION_MINUTES, Limit.of(500),
                MetricKey.ACTIVATION_CODES, Limit.of(12)))));
        tally.users().put(PutUser.of(ACME, PRO));
    }

    private IdempotencyKey key() {
        return new IdempotencyKey("k" + keys.incrementAndGet());
    }

    private ReportRun runEndingAs(RunStatus status) {
        ReportRun run = tally.runs().start(StartRun.of(ACME)).orElseThrow();
        return tally.runs().complete(CompleteRun.of(ACME, run.id(),
                new RunCompletion(status, 1000, 500, Optional.of("gpt-4o-mini"), 3,
                Optional.empty(), Optional.empty(), Optional.empty())));
    }

    private MetricUsage metric(MetricKey key) {
        return tally.usage().usage(ACME, Optional.empty()).metric(key).orElseThrow();
    }

    @Test
    void R10_five_runs_executed_show_five_of_fifty_and_ten_percent() {
        for (int i = 0; i < 5; i++) {
            runEndingAs(RunStatus.SUCCEEDED);
        }

        MetricUsage runs = metric(MetricKey.RUNS);
        assertThat(runs.used()).isEqualByComparingTo("5");
        assertThat(runs.limit()).contains(BigDecimal.valueOf(50));
        assertThat(runs.percent()).contains(new BigDecimal("10.0"));
        RunStatistics stats = tally.runs().usage(ACME, Optional.empty());
        assertThat(stats.counts().succeeded()).isEqualTo(5);
        assertThat(stats.remaining()).contains(BigDecimal.valueOf(45));
        BillingOverview overview = tally.billing().overview(ACME, Optional.empty());
        assertThat(overview.metrics()).contains(runs);
        assertThat(overview.runs()).isEqualTo(stats);
    }

    @Test
    void R26_failed_and_cancelled_runs_are_not_counted() {
        runEndingAs(RunStatus.SUCCEEDED);
        runEndingAs(RunStatus.FAILED);
        runEndingAs(RunStatus.CANCELLED);

        assertThat(metric(MetricKey.RUNS).used()).isEqualByComparingTo("1");
        assertThat(metric(MetricKey.RUNS).reserved()).isEqualByComparingTo("0");
        RunStatistics stats = tally.runs().usage(ACME, Optional.empty());
        assertThat(stats.counts().total()).isEqualTo(3);
        assertThat(stats.counts().failed()).isEqualTo(1);
        assertThat(stats.counts().cancelled()).isEqualTo(1);
        assertThat(stats.remaining()).contains(BigDecimal.valueOf(49));
    }

    @Test
    void R26_a_running_run_holds_a_reservation_and_the_limit_counts_it() {
        tally.plans().put(Plan.of(PRO, "Pro", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(2)))));
        runEndingAs(RunStatus.SUCCEEDED);
        ReportRun running = tally.runs().start(StartRun.of(ACME)).orElseThrow();

        Outcome<ReportRun> third = tally.runs().start(StartRun.of(ACME));

        assertThat(third).isInstanceOfSatisfying(Outcome.Refused.class, refused ->
                assertThat(((LimitExceeded) refused.refusal()).currentUsage()).isEqualByComparingTo("2"));
        tally.runs().complete(CompleteRun.of(ACME, running.id(), RunCompletion.of(RunStatus.FAILED)));
        assertThat(tally.runs().start(StartRun.of(ACME)).isRefused()).isFalse();
    }

    @Test
    void R26_a_run_left_running_past_the_timeout_fails_and_gives_its_reservation_back() {
        tally.plans().put(Plan.of(PRO, "Pro", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(1)))));
        ReportRun stuck = tally.runs().start(StartRun.of(ACME)).orElseThrow();
        clock.advance(Duration.ofMinutes(61));

        Outcome<ReportRun> next = tally.runs().start(StartRun.of(ACME));

        assertThat(next.isRefused()).isFalse();
        ReportRun timedOut = tally.runs().get(ACME, stuck.id());
        assertThat(timedOut.status()).isEqualTo(RunStatus.FAILED);
        assertThat(timedOut.errorCode()).contains("timed_out");
    }

    @Test
    void R45_twelve_codes_issued_and_twelve_redeemed_show_twelve_of_twelve() {
        for (int i = 0; i < 12; i++) {
            String code = tally.activationCodes().issue(IssueCode.of(ACME, 1)).orElseThrow().code();
            tally.activationCodes().redeem(RedeemCode.by(ACME, code));
        }

        BillingOverview overview = tally.billing().overview(ACME, Optional.empty());
        assertThat(overview.activationCodes().issued()).isEqualTo(12);
        assertThat(overview.activationCodes().redeemed()).isEqualTo(12);
        assertThat(overview.activationCodes().limit()).contains(BigDecimal.valueOf(12));
        MetricUsage codes = metric(MetricKey.ACTIVATION_CODES);
        assertThat(codes.percent()).contains(new BigDecimal("100.0"));
        assertThat(codes.status()).isEqualTo(MetricStatus.EXCEEDED);
        assertThat(tally.activationCodes().issue(IssueCode.of(ACME, 1)).isRefused()).isTrue();
    }

    @Test
    void R45_a_code_issued_last_period_and_redeemed_now_counts_as_redeemed_now() {
        String code = tally.activationCodes().issue(IssueCode.of(ACME, 2)).orElseThrow().code();
        clock.set(Instant.parse("2026-12-03T00:00:00Z"));

        tally.activationCodes().redeem(RedeemCode.asOperator(code));

        BillingOverview december = tally.billing().overview(ACME, Optional.empty());
        assertThat(december.activationCodes().issued()).isZero();
        assertThat(december.activationCodes().redeemed()).isEqualTo(1);
    }

    @Test
    void R1_five_hundred_minutes_used_last_period_and_none_this_period_allow_a_new_session() {
        Session last = tally.sessions().create(new CreateSession(ACME, "October call", Optional.empty(), Optional.empty()))
                .orElseThrow();
        tally.sessions().complete(CompleteSession.of(ACME, last.id(), 500 * 60));
        assertThat(tally.sessions().create(new CreateSession(ACME, "same period", Optional.empty(), Optional.empty()))
                .isRefused()).isTrue();

        clock.set(Instant.parse("2026-12-01T00:00:00Z"));
        Outcome<Session> next = tally.sessions().create(new CreateSession(ACME, "December call", Optional.empty(),
                Optional.empty()));

        assertThat(next.isRefused()).isFalse();
        assertThat(metric(MetricKey.SESSION_MINUTES).used()).isEqualByComparingTo("0");
    }

    @Test
    void R12_minutes_limit_reached_is_limit_exceeded_with_used_and_limit() {
        Session session = tally.sessions().create(new CreateSession(ACME, "long", Optional.empty(), Optional.empty()))
                .orElseThrow();
        tally.sessions().complete(CompleteSession.of(ACME, session.id(), 500 * 60 - 30));

        Outcome<Session> refused = tally.sessions().create(new CreateSession(ACME, "one more", Optional.empty(),
                Optional.empty()));

        assertThat(refused).isInstanceOfSatisfying(Outcome.Refused.class, r -> {
            LimitExceeded exceeded = (LimitExceeded) r.refusal();
            assertThat(exceeded.code()).isEqualTo("session_minutes_limit_exceeded");
            assertThat(exceeded.used()).isEqualByComparingTo("500");
            assertThat(exceeded.limit()).isEqualByComparingTo("500");
            assertThat(exceeded.resetsAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        });
    }

    @Test
    void R16_a_file_over_the_plans_cap_is_refused_and_nothing_is_counted() {
        tally.plans().put(new Plan(PRO, "Pro", PlanLimits.none(), Optional.of(BigDecimal.valueOf(60)), 80));

        Outcome<Session> refused = tally.sessions().create(new CreateSession(ACME, "big", Optional.of(BigDecimal.valueOf(61)),
                Optional.empty()));

        assertThat(refused).isInstanceOfSatisfying(Outcome.Refused.class,
                r -> assertThat(r.refusal().code()).isEqualTo("file_size_limit_exceeded"));
        assertThat(tally.usage().usage(ACME, Optional.empty()).metric(MetricKey.SESSIONS)).isEmpty();
    }

    @Test
    void R33_seven_spent_five_refunded_is_net_two_and_the_balance_moves_by_minus_two() {
        tally.credits().write(CreditWrite.purchase(ACME, 10, key()));
        CreditTransaction usage = tally.credits().write(CreditWrite.spend(ACME, 7, "upload", key())).orElseThrow();
        tally.credits().write(CreditWrite.refund(ACME, usage.id(), 5, key()));

        CreditUsageReport report = tally.credits().usageByOperation(ACME, PeriodSelector.current());
        assertThat(report.total()).isEqualTo(OperationUsage.of("total", 7, 5));
        assertThat(tally.credits().balance(ACME)).isEqualTo(10 - 2);
    }

    @Test
    void R33_five_spent_five_refunded_is_net_zero() {
        tally.credits().write(CreditWrite.grant(ACME, 5, key()));
        CreditTransaction usage = tally.credits().write(CreditWrite.spend(ACME, 5, "query", key())).orElseThrow();
        tally.credits().write(CreditWrite.refund(ACME, usage.id(), 5, key()));

        assertThat(tally.credits().usageByOperation(ACME, PeriodSelector.current()).total().net()).isZero();
        assertThat(tally.credits().balance(ACME)).isEqualTo(5);
    }

    @Test
    void R33_upload_ten_three_query_five_five_search_two_zero() {
        tally.credits().write(CreditWrite.purchase(ACME, 100, key()));
        CreditTransaction upload = tally.credits().write(CreditWrite.spend(ACME, 10, "upload", key())).orElseThrow();
        CreditTransaction query = tally.credits().write(CreditWrite.spend(ACME, 5, "query", key())).orElseThrow();
        tally.credits().write(CreditWrite.spend(ACME, 2, "search", key()));
        tally.credits().write(CreditWrite.refund(ACME, upload.id(), 3, key()));
        tally.credits().write(CreditWrite.refund(ACME, query.id(), 5, key()));

        CreditUsageReport report = tally.credits().usageByOperation(ACME, PeriodSelector.current());

        assertThat(report.operations()).extracting(OperationUsage::operation, OperationUsage::net)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("upload", 7L),
                        org.assertj.core.groups.Tuple.tuple("search", 2L),
                        org.assertj.core.groups.Tuple.tuple("query", 0L));
        assertThat(tally.billing().overview(ACME, Optional.empty()).credits()).isEqualTo(report);
    }

    @Test
    void R31_a_spend_beyond_the_balance_is_refused_and_writes_nothing() {
        tally.credits().write(CreditWrite.purchase(ACME, 3, key()));

        Outcome<CreditTransaction> refused = tally.credits().write(CreditWrite.spend(ACME, 4, "upload", key()));

        assertThat(refused).isInstanceOfSatisfying(Outcome.Refused.class, r -> {
            Refusal refusal = r.refusal();
            assertThat(refusal).isEqualTo(new InsufficientCredits(3, 4));
        });
        assertThat(tally.credits().balance(ACME)).isEqualTo(3);
        assertThat(tally.credits().transactions(ACME, Paging.first()).total()).isEqualTo(1);
    }

    @Test
    void R14_a_plan_change_mid_period_applies_at_once_and_usage_so_far_stays() {
        for (int i = 0; i < 3; i++) {
            runEndingAs(RunStatus.SUCCEEDED);
        }
        tally.plans().put(Plan.of(new PlanId("free"), "Free", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(3)))));

        tally.users().changePlan(ACME, new PlanId("free"));

        UsageReport usage = tally.usage().usage(ACME, Optional.empty());
        assertThat(usage.plan()).isEqualTo(new PlanId("free"));
        assertThat(usage.metric(MetricKey.RUNS).orElseThrow().used()).isEqualByComparingTo("3");
        assertThat(usage.metric(MetricKey.RUNS).orElseThrow().status()).isEqualTo(MetricStatus.EXCEEDED);
        assertThat(tally.runs().start(StartRun.of(ACME)).isRefused()).isTrue();
    }

    @Test
    void R4_a_usage_reset_starts_a_new_period_and_earlier_usage_stops_counting() {
        tally.usage().record(new RecordUsage(ACME, java.util.List.of(UsageItem.of(MetricKey.RUNS, 50, "bulk")), false));
        assertThat(tally.runs().start(StartRun.of(ACME)).isRefused()).isTrue();
        clock.advance(Duration.ofHours(1));

        tally.users().resetBillingPeriod(ResetBillingPeriod.of(ACME));

        UsageReport usage = tally.usage().usage(ACME, Optional.empty());
        assertThat(usage.period().start()).isEqualTo(clock.instant());
        assertThat(usage.metric(MetricKey.RUNS).orElseThrow().used()).isEqualByComparingTo("0");
        assertThat(tally.runs().start(StartRun.of(ACME)).isRefused()).isFalse();
    }
}
