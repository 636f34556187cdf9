package dev.tally.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.credit.CreditWrite;
import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.memory.InMemoryIdempotencyStore;
import dev.tally.application.memory.InMemoryTransactions;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.run.CompleteRun;
import dev.tally.application.run.StartRun;
import dev.tally.application.session.CompleteSession;
import dev.tally.application.session.CreateSession;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.UsageRecorded;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.usecase.Paging;
import dev.tally.application.user.PutUser;
import dev.tally.domain.DomainException;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.period.CycleKind;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.session.Session;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules the use cases add on top of the domain, over in-memory storage. */
class UseCaseRulesTest {

    private static final UserId ACME = new UserId("acme");
    private static final PlanId PRO = new PlanId("pro");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-10T09:00:00Z"));
    private Tally tally;

    @BeforeEach
    void setUp() {
        tally = Tally.inMemory(clock);
        tally.plans().put(Plan.of(PRO, "Pro", new PlanLimits(Map.of(
                MetricKey.RUNS, Limit.of(50), new MetricKey("exports"), Limit.of(10)))));
        tally.users().put(PutUser.of(ACME, PRO));
    }

    private static UsageItem item(String metric, long quantity, String key, Instant at) {
        return new UsageItem(new MetricKey(metric), BigDecimal.valueOf(quantity), Optional.ofNullable(at),
                new IdempotencyKey(key), Map.of());
    }

    private BigDecimal used(String metric) {
        return tally.usage().usage(ACME, Optional.empty()).metric(new MetricKey(metric))
                .map(m -> m.used()).orElse(BigDecimal.ZERO);
    }

    @Test
    void R13_an_enforced_batch_is_granted_or_denied_as_one() {
        Outcome<UsageRecorded> denied = tally.usage().record(new RecordUsage(ACME, List.of(
                item("exports", 6, "a", null), item("exports", 5, "b", null), item("pages", 3, "c", null)), true));

        assertThat(denied).isInstanceOfSatisfying(Outcome.Refused.class, r -> {
            LimitExceeded exceeded = (LimitExceeded) r.refusal();
            assertThat(exceeded.requested()).isEqualByComparingTo("11");
            assertThat(exceeded.limit()).isEqualByComparingTo("10");
        });
        assertThat(used("exports")).isZero();
        assertThat(used("pages")).isZero();
        assertThat(tally.usage().record(new RecordUsage(ACME, List.of(item("exports", 10, "a", null)), true)))
                .isEqualTo(Outcome.done(new UsageRecorded(1, 0)));
    }

    @Test
    void R13_unenforced_usage_is_recorded_past_the_limit_and_shown_above_one_hundred_percent() {
        tally.usage().record(new RecordUsage(ACME, List.of(item("exports", 15, "a", null)), false));

        assertThat(tally.usage().usage(ACME, Optional.empty()).metric(new MetricKey("exports")).orElseThrow().percent())
                .contains(new BigDecimal("150.0"));
    }

    @Test
    void R20_the_same_key_and_payload_is_counted_once_and_a_different_payload_is_refused() {
        RecordUsage batch = new RecordUsage(ACME, List.of(item("exports", 2, "once", null)), false);

        assertThat(tally.usage().record(batch)).isEqualTo(Outcome.done(new UsageRecorded(1, 0)));
        assertThat(tally.usage().record(batch)).isEqualTo(Outcome.done(new UsageRecorded(0, 1)));
        assertThatThrownBy(() -> tally.usage().record(new RecordUsage(ACME, List.of(item("exports", 3, "once", null)),
                false))).isInstanceOf(DomainException.class).extracting("code").isEqualTo("idempotency_key_reused");
        assertThat(used("exports")).isEqualByComparingTo("2");
    }

    @Test
    void R21_a_late_record_counts_in_the_period_of_its_occurred_at() {
        clock.set(Instant.parse("2026-12-02T00:00:00Z"));

        tally.usage().record(new RecordUsage(ACME, List.of(item("exports", 4, "late", Instant.parse("2026-11-30T23:00:00Z"))),
                false));

        assertThat(used("exports")).isZero();
        assertThat(tally.usage().usage(ACME, Optional.of(Instant.parse("2026-11-15T00:00:00Z")))
                .metric(new MetricKey("exports")).orElseThrow().used()).isEqualByComparingTo("4");
    }

    @Test
    void R21_future_and_too_old_records_are_refused_and_change_nothing() {
        assertThatThrownBy(() -> tally.usage().record(new RecordUsage(ACME, List.of(
                item("exports", 1, "ok", null), item("exports", 1, "future", clock.instant().plus(Duration.ofMinutes(6)))),
                false))).extracting("code").isEqualTo("occurred_at_in_future");
        assertThatThrownBy(() -> tally.usage().record(new RecordUsage(ACME, List.of(
                item("exports", 1, "old", clock.instant().minus(Duration.ofDays(36)))), false)))
                .extracting("code").isEqualTo("occurred_at_too_old");
        assertThat(used("exports")).isZero();
    }

    @Test
    void R22_unknown_users_and_plans_are_clear_errors_with_no_partial_write() {
        assertThatThrownBy(() -> tally.usage().record(new RecordUsage(new UserId("nobody"),
                List.of(item("exports", 1, "x", null)), false))).extracting("code").isEqualTo("user_not_found");
        assertThatThrownBy(() -> tally.users().put(PutUser.of(new UserId("bob"), new PlanId("gold"))))
                .extracting("code").isEqualTo("unknown_plan");
    }

    @Test
    void R20_a_retried_single_write_replays_the_original_result() {
        IdempotencyKey key = new IdempotencyKey("start-1");
        ReportRun first = tally.runs().start(new StartRun(ACME, Optional.of("repo"), Optional.empty(), Optional.of(key)))
                .orElseThrow();
        ReportRun again = tally.runs().start(new StartRun(ACME, Optional.of("repo"), Optional.empty(), Optional.of(key)))
                .orElseThrow();

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(tally.runs().list(ACME, Paging.first()).total()).isEqualTo(1);
        assertThatThrownBy(() -> tally.runs().start(new StartRun(ACME, Optional.of("other"), Optional.empty(),
                Optional.of(key)))).extracting("code").isEqualTo("idempotency_key_reused");
    }

    @Test
    void R20_a_retry_while_the_first_is_in_flight_is_a_conflict() {
        IdempotentWrites writes = new IdempotentWrites(new InMemoryIdempotencyStore(), new InMemoryTransactions(), clock);
        IdempotencyKey key = new IdempotencyKey("slow");

        Outcome<String> outer = writes.execute(ACME, Optional.of(key), "p", () -> {
            assertThatThrownBy(() -> writes.execute(ACME, Optional.of(key), "p", () -> Outcome.done("inner"),
                    s -> s, s -> s)).extracting("code").isEqualTo("idempotency_in_flight");
            return Outcome.done("outer");
        }, s -> s, s -> s);

        assertThat(outer).isEqualTo(Outcome.done("outer"));
        assertThat(writes.execute(ACME, Optional.of(key), "p", () -> Outcome.done("again"), s -> s, s -> s))
                .isEqualTo(Outcome.done("outer"));
    }

    @Test
    void R66_a_slow_write_whose_claim_a_retry_took_over_is_answered_with_the_retrys_result() {
        IdempotentWrites writes = new IdempotentWrites(new InMemoryIdempotencyStore(), new InMemoryTransactions(), clock);
        IdempotencyKey key = new IdempotencyKey("slow");

        Outcome<String> slow = writes.execute(ACME, Optional.of(key), "p", () -> {
            clock.advance(Duration.ofSeconds(11));
            // Past the lease a retry takes the claim over and completes first.
            assertThat(writes.execute(ACME, Optional.of(key), "p", () -> Outcome.done("retry"), s -> s, s -> s))
                    .isEqualTo(Outcome.done("retry"));
            return Outcome.done("slow");
        }, s -> s, s -> s);

        assertThat(slow).as("done once, answered alike").isEqualTo(Outcome.done("retry"));
    }

    @Test
    void R20_a_refused_write_releases_its_key_so_a_retry_is_decided_afresh() {
        IdempotencyKey key = new IdempotencyKey("spend-1");
        assertThat(tally.credits().write(CreditWrite.spend(ACME, 5, "upload", key)).isRefused()).isTrue();
        tally.credits().write(CreditWrite.purchase(ACME, 5, new IdempotencyKey("buy")));

        assertThat(tally.credits().write(CreditWrite.spend(ACME, 5, "upload", key)).isRefused()).isFalse();
        assertThat(tally.credits().balance(ACME)).isZero();
    }

    @Test
    void R25_completing_a_run_twice_is_a_conflict() {
        ReportRun run = tally.runs().start(StartRun.of(ACME)).orElseThrow();
        tally.runs().complete(CompleteRun.of(ACME, run.id(), RunCompletion.of(RunStatus.CANCELLED)));

        assertThatThrownBy(() -> tally.runs().complete(CompleteRun.of(ACME, run.id(),
                RunCompletion.of(RunStatus.SUCCEEDED)))).extracting("code").isEqualTo("run_not_running");
        assertThat(used("runs")).isZero();
    }

    @Test
    void R60_another_users_run_is_not_found_like_a_missing_one() {
        tally.users().put(PutUser.of(new UserId("other"), PRO));
        ReportRun run = tally.runs().start(StartRun.of(ACME)).orElseThrow();

        assertThatThrownBy(() -> tally.runs().get(new UserId("other"), run.id())).extracting("code")
                .isEqualTo("run_not_found");
    }

    @Test
    void R1_changing_a_users_billing_refiles_its_usage_into_the_new_periods() {
        tally.usage().record(new RecordUsage(ACME, List.of(item("exports", 3, "a", Instant.parse("2026-11-03T00:00:00Z"))),
                false));

        tally.users().put(new PutUser(ACME, PRO, Optional.of(CycleKind.ANNIVERSARY),
                Optional.of(Instant.parse("2026-10-05T00:00:00Z")), Optional.of(ZoneId.of("UTC"))));

        assertThat(used("exports")).isZero();
        assertThat(tally.usage().usage(ACME, Optional.of(Instant.parse("2026-11-04T00:00:00Z"))).period().start())
                .isEqualTo(Instant.parse("2026-10-05T00:00:00Z"));
        assertThat(tally.usage().usage(ACME, Optional.of(Instant.parse("2026-11-04T00:00:00Z")))
                .metric(new MetricKey("exports")).orElseThrow().used()).isEqualByComparingTo("3");
        assertThat(tally.storage().usage().reconcile(false, ReconcileProgress.NONE).drifts()).isEmpty();
    }

    @Test
    void R31_concurrent_spends_never_take_the_balance_below_zero() throws Exception {
        tally.credits().write(CreditWrite.purchase(ACME, 100, new IdempotencyKey("buy")));
        AtomicInteger keys = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome<CreditTransaction>>> spends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            spends.add(pool.submit(() -> {
                start.await();
                return tally.credits().write(CreditWrite.spend(ACME, 3, "upload",
                        new IdempotencyKey("s" + keys.incrementAndGet())));
            }));
        }
        start.countDown();
        long granted = 0;
        for (Future<Outcome<CreditTransaction>> spend : spends) {
            granted += spend.get().isRefused() ? 0 : 1;
        }
        pool.shutdown();

        assertThat(granted).isEqualTo(33);
        assertThat(tally.credits().balance(ACME)).isEqualTo(1);
    }

    @Test
    void R16_sessions_are_counted_and_completing_adds_rounded_up_minutes() {
        Session session = tally.sessions().create(new CreateSession(ACME, "call", Optional.empty(), Optional.empty()))
                .orElseThrow();

        Session done = tally.sessions().complete(CompleteSession.of(ACME, session.id(), 61));

        assertThat(done.durationSeconds()).hasValue(61);
        assertThat(used("sessions")).isEqualByComparingTo("1");
        assertThat(used("session_minutes")).isEqualByComparingTo("2");
        assertThatThrownBy(() -> tally.sessions().complete(CompleteSession.of(ACME, session.id(), 61)))
                .extracting("code").isEqualTo("session_already_completed");
        assertThat(used("session_minutes")).isEqualByComparingTo("2");
    }

    @Test
    void R64_one_credit_write_moves_at_most_10_to_the_15_credits() {
        assertThat(tally.credits().write(CreditWrite.purchase(ACME, CreditWrite.MAX_AMOUNT, new IdempotencyKey("max")))
                .orElseThrow().amount()).isEqualTo(CreditWrite.MAX_AMOUNT);
        assertThatThrownBy(() -> CreditWrite.purchase(ACME, Long.MAX_VALUE, new IdempotencyKey("k")))
                .isInstanceOf(DomainException.class).extracting("code").isEqualTo("invalid_amount");
        assertThatThrownBy(() -> CreditWrite.adjust(ACME, -CreditWrite.MAX_AMOUNT - 1, "fix", new IdempotencyKey("k")))
                .isInstanceOf(DomainException.class).extracting("code").isEqualTo("invalid_amount");
    }
}
