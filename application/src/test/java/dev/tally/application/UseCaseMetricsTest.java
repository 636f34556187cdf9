package dev.tally.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.credit.CreditWrite;
import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.port.UseCaseMetrics;
import dev.tally.application.run.StartRun;
import dev.tally.application.user.PutUser;
import dev.tally.domain.Refusal;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The deciding use cases report each grant, refusal and failure, with its latency, to the embedder's metrics. */
class UseCaseMetricsTest {

    private final Recording metrics = new Recording();
    private final Tally tally = Tally.create(InMemoryStorage.create(), Clock.systemUTC(), Tally.Settings.DEFAULTS,
            metrics);
    private final UserId acme = new UserId("acme");

    @Test
    void a_granted_run_and_a_refused_one_are_reported_with_the_refusal_and_their_latency() {
        tally.plans().put(Plan.of(new PlanId("free"), "Free", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(1)))));
        tally.users().put(PutUser.of(acme, new PlanId("free")));

        tally.runs().start(StartRun.of(acme));
        tally.runs().start(StartRun.of(acme));

        assertThat(metrics.reports).extracting(Report::useCase).containsExactly("runs.start", "runs.start");
        assertThat(metrics.reports.get(0).outcome()).isEqualTo("granted");
        assertThat(metrics.reports.get(1).outcome()).isEqualTo("runs_limit_exceeded");
        assertThat(metrics.reports).allSatisfy(report -> assertThat(report.took()).isPositive());
    }

    @Test
    void a_spend_beyond_the_balance_is_a_denial_and_bad_input_a_failure() {
        tally.plans().put(Plan.of(new PlanId("free"), "Free", new PlanLimits(Map.of())));
        tally.users().put(PutUser.of(acme, new PlanId("free")));

        tally.credits().write(CreditWrite.spend(acme, 5, "export", new IdempotencyKey("spend-1")));
        assertThatThrownBy(() -> tally.credits().write(CreditWrite.spend(new UserId("nobody"), 5, "export",
                new IdempotencyKey("spend-2")))).isInstanceOf(RuntimeException.class);

        assertThat(metrics.reports).extracting(Report::useCase, Report::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("credits.write", "insufficient_credits"),
                org.assertj.core.groups.Tuple.tuple("credits.write", "failed"));
    }

    @Test
    void without_metrics_nothing_is_reported_and_the_use_cases_answer_the_same() {
        Tally plain = Tally.create(InMemoryStorage.create(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
        plain.plans().put(Plan.of(new PlanId("free"), "Free", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(0)))));
        plain.users().put(PutUser.of(acme, new PlanId("free")));

        assertThat(plain.runs().start(StartRun.of(acme)).isRefused()).isTrue();
        assertThat(UseCaseMetrics.NONE.measure("x", () -> plain.runs().start(StartRun.of(acme))).isRefused()).isTrue();
    }

    private record Report(String useCase, String outcome, Duration took) {
    }

    /** Keeps every report: the refusal's code, "granted" or "failed". */
    private static final class Recording implements UseCaseMetrics {

        final List<Report> reports = new CopyOnWriteArrayList<>();

        @Override
        public void answered(String useCase, Optional<Refusal> refusal, Duration took) {
            reports.add(new Report(useCase, refusal.map(Refusal::code).orElse("granted"), took));
        }

        @Override
        public void failed(String useCase, RuntimeException failure, Duration took) {
            reports.add(new Report(useCase, "failed", took));
        }
    }
}
