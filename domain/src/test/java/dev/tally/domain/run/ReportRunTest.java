package dev.tally.domain.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportRunTest {

    private static final Instant T0 = Instant.parse("2026-11-10T10:00:00Z");
    private static final PriceTable PRICES = PriceTable.of(List.of(ModelPrice.GPT_4O_MINI));

    private static ReportRun running() {
        return ReportRun.start("r1", new UserId("acme"), Optional.of("repo"), Optional.empty(), T0);
    }

    private static RunCompletion succeeded(long in, long out, String model, BigDecimal cost) {
        return new RunCompletion(RunStatus.SUCCEEDED, in, out, Optional.ofNullable(model), 12, Optional.ofNullable(cost),
                Optional.empty(), Optional.empty());
    }

    @Test
    void R25_a_run_is_running_until_it_ends_once() {
        ReportRun done = running().complete(succeeded(1000, 500, "gpt-4o-mini", null), PRICES, T0.plusSeconds(60));

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.completedAt()).contains(T0.plusSeconds(60));
        assertThatThrownBy(() -> done.complete(RunCompletion.of(RunStatus.FAILED), PRICES, T0))
                .isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.CONFLICT))
                .extracting("code").isEqualTo("run_not_running");
    }

    @Test
    void R25_a_run_cannot_complete_as_running() {
        assertThatThrownBy(() -> RunCompletion.of(RunStatus.RUNNING)).isInstanceOf(DomainException.class);
    }

    @Test
    void R27_cost_comes_from_the_price_table_at_six_decimals_half_up() {
        ReportRun done = running().complete(succeeded(1234, 567, "gpt-4o-mini", null), PRICES, T0);

        // 1234/1000 × 0.00015 + 567/1000 × 0.0006 = 0.0001851 + 0.0003402 = 0.0005253 → 0.000525
        assertThat(done.costUsd()).isEqualTo(new BigDecimal("0.000525"));
        assertThat(done.costSource()).isEqualTo(RunCost.Source.PRICE_TABLE);
    }

    @Test
    void R27_rounding_is_half_up() {
        RunCost cost = PRICES.costOf("gpt-4o-mini", 10, 0, Optional.empty());

        // 10/1000 × 0.00015 = 0.0000015 → 0.000002
        assertThat(cost.usd()).isEqualTo(new BigDecimal("0.000002"));
    }

    @Test
    void R27_a_cost_given_by_the_caller_wins_over_the_table() {
        ReportRun done = running().complete(succeeded(1000, 1000, "gpt-4o-mini", new BigDecimal("0.25")), PRICES, T0);

        assertThat(done.costUsd()).isEqualTo(new BigDecimal("0.250000"));
        assertThat(done.costSource()).isEqualTo(RunCost.Source.GIVEN);
    }

    @Test
    void R27_an_unknown_model_without_a_cost_costs_zero_and_is_flagged() {
        ReportRun done = running().complete(succeeded(1000, 1000, "mystery-model", null), PRICES, T0);

        assertThat(done.costUsd()).isZero();
        assertThat(done.costSource()).isEqualTo(RunCost.Source.UNPRICED);
    }

    @Test
    void R26_a_timed_out_run_fails_with_error_code_timed_out() {
        ReportRun timedOut = running().timeOut(T0.plusSeconds(3600));

        assertThat(timedOut.status()).isEqualTo(RunStatus.FAILED);
        assertThat(timedOut.errorCode()).contains(ReportRun.TIMED_OUT);
    }

    @Test
    void R29_delivery_attempts_are_counted_and_delivered_sticks() {
        ReportRun run = running()
                .withDeliveryAttempt(T0, java.util.OptionalInt.of(500), false)
                .withDeliveryAttempt(T0.plusSeconds(5), java.util.OptionalInt.of(200), true);

        assertThat(run.webhook().attempts()).isEqualTo(2);
        assertThat(run.webhook().delivered()).isTrue();
        assertThat(run.webhook().lastResponseStatus()).hasValue(200);
        assertThat(run.webhook().lastAttemptAt()).contains(T0.plusSeconds(5));
    }

    @Test
    void R28_statistics_count_only_succeeded_runs_as_used_and_running_ones_as_held() {
        BillingPeriod period = new BillingPeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
        ReportRun ok = running().complete(succeeded(1000, 1000, "gpt-4o-mini", null), PRICES, T0);
        ReportRun failed = ReportRun.start("r2", ok.user(), Optional.empty(), Optional.empty(), T0.plusSeconds(1))
                .complete(RunCompletion.of(RunStatus.FAILED), PRICES, T0);
        ReportRun cancelled = ReportRun.start("r3", ok.user(), Optional.empty(), Optional.empty(), T0.plusSeconds(2))
                .complete(RunCompletion.of(RunStatus.CANCELLED), PRICES, T0);
        ReportRun stillRunning = ReportRun.start("r4", ok.user(), Optional.empty(), Optional.empty(), T0.plusSeconds(3));

        RunStatistics stats = RunStatistics.of(period, RunCounts.of(List.of(ok, failed, cancelled, stillRunning)),
                new UsageTotals(BigDecimal.ONE, BigDecimal.ONE), Limit.of(2));

        assertThat(stats.counts().total()).isEqualTo(4);
        assertThat(stats.counts().succeeded()).isEqualTo(1);
        assertThat(stats.counts().failed()).isEqualTo(1);
        assertThat(stats.counts().cancelled()).isEqualTo(1);
        assertThat(stats.counts().running()).isEqualTo(1);
        assertThat(stats.counts().tokens()).isEqualTo(2000);
        assertThat(stats.counts().costUsd()).isEqualTo(new BigDecimal("0.000750"));
        assertThat(stats.counts().lastRunAt()).contains(T0.plusSeconds(3));
        assertThat(stats.remaining()).contains(BigDecimal.ZERO);
        assertThat(stats.canRunMore()).isFalse();
    }

    @Test
    void R64_a_run_reports_at_most_10_to_the_12_tokens_or_commits() {
        new RunCompletion(RunStatus.SUCCEEDED, RunCompletion.MAX_COUNT, RunCompletion.MAX_COUNT, Optional.empty(),
                RunCompletion.MAX_COUNT, Optional.empty(), Optional.empty(), Optional.empty());
        for (long[] counts : new long[][] {{5_000_000_000_000_000_000L, 0, 0}, {0, Long.MAX_VALUE, 0},
                {0, 0, RunCompletion.MAX_COUNT + 1}}) {
            assertThatThrownBy(() -> new RunCompletion(RunStatus.SUCCEEDED, counts[0], counts[1], Optional.empty(),
                    counts[2], Optional.empty(), Optional.empty(), Optional.empty()))
                    .isInstanceOf(DomainException.class).extracting("code").isEqualTo("invalid_run_completion");
        }
    }

    @Test
    void R28_token_sums_never_wrap() {
        ReportRun started = ReportRun.start("r1", new UserId("acme"), Optional.empty(), Optional.empty(), T0);
        ReportRun huge = new ReportRun("r1", started.user(), Optional.empty(), Optional.empty(), T0,
                Optional.of(new RunOutcome(RunStatus.SUCCEEDED, T0, Long.MAX_VALUE, Long.MAX_VALUE, Optional.empty(), 0,
                        new RunCost(BigDecimal.ZERO, started.costSource()), Optional.empty(), Optional.empty())),
                started.webhook());

        assertThat(RunCounts.of(List.of(huge, huge)).tokens())
                .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(4)));
    }
}
