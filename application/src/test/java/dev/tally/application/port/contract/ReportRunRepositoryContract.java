package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.assertSameValue;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.dec;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.ReportRunRepository;
import dev.tally.domain.run.ModelPrice;
import dev.tally.domain.run.PriceTable;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunCost;
import dev.tally.domain.run.RunCounts;
import dev.tally.domain.run.RunOutcome;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What every {@link ReportRunRepository} promises (R25–R29). */
public abstract class ReportRunRepositoryContract {

    private static final PriceTable PRICES = PriceTable.of(List.of(ModelPrice.GPT_4O_MINI));

    protected abstract ReportRunRepository runs();

    private ReportRun started(UserId user, Instant at) {
        ReportRun run = ReportRun.start(newId("run"), user, Optional.of("repo-1"), Optional.empty(), at);
        runs().insert(run);
        return run;
    }

    private static ReportRun succeeded(ReportRun run, Instant at) {
        return run.complete(new RunCompletion(RunStatus.SUCCEEDED, 1000, 2000, Optional.of("gpt-4o-mini"), 3,
                Optional.empty(), Optional.empty(), Optional.empty()), PRICES, at);
    }

    @Test
    void R25_a_stored_run_reads_back_for_its_user_only() {
        UserId user = newUser();
        ReportRun run = started(user, MARCH.start().plusNanos(123_456_789));

        assertSameValue(runs().find(user, run.id()).orElseThrow(), run);
        assertThat(runs().find(newUser(), run.id())).isEmpty();
        assertThat(runs().find(user, "missing")).isEmpty();
    }

    @Test
    void R25_a_run_changes_only_from_the_expected_status() {
        UserId user = newUser();
        ReportRun run = started(user, MARCH.start());
        ReportRun done = succeeded(run, MARCH.start().plusSeconds(60));

        assertThat(runs().replace(done, RunStatus.RUNNING)).isTrue();
        assertSameValue(runs().find(user, run.id()).orElseThrow(), done);
        assertThat(done.costUsd()).isEqualByComparingTo("0.001350");
        ReportRun failed = run.complete(RunCompletion.of(RunStatus.FAILED), PRICES, MARCH.start().plusSeconds(61));
        assertThat(runs().replace(failed, RunStatus.RUNNING)).isFalse();
        assertSameValue(runs().find(user, run.id()).orElseThrow(), done);
    }

    @Test
    void R25_of_concurrent_completions_of_one_run_exactly_one_wins() throws Exception {
        UserId user = newUser();
        ReportRun run = started(user, MARCH.start());
        List<Boolean> results = concurrently(16, 16, i -> () -> runs().replace(
                succeeded(run, MARCH.start().plusSeconds(i + 1)), RunStatus.RUNNING));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
    }

    @Test
    void R29_delivery_attempts_are_counted_and_delivered_stays_delivered() {
        UserId user = newUser();
        ReportRun run = started(user, MARCH.start());
        Instant first = MARCH.start().plusSeconds(100);
        Instant second = MARCH.start().plusSeconds(200);

        ReportRun once = runs().recordDelivery(user, run.id(), first, OptionalInt.of(200), true).orElseThrow();
        ReportRun twice = runs().recordDelivery(user, run.id(), second, OptionalInt.empty(), false).orElseThrow();

        assertThat(once.webhook().attempts()).isEqualTo(1);
        assertThat(once.webhook().delivered()).isTrue();
        assertThat(twice.webhook().attempts()).isEqualTo(2);
        assertThat(twice.webhook().delivered()).isTrue();
        assertThat(twice.webhook().lastAttemptAt()).contains(second);
        assertThat(twice.webhook().lastResponseStatus()).isEmpty();
        assertThat(runs().recordDelivery(newUser(), run.id(), second, OptionalInt.empty(), false)).isEmpty();
        assertThat(runs().recordDelivery(user, "missing", second, OptionalInt.empty(), false)).isEmpty();
    }

    @Test
    void R29_concurrent_delivery_attempts_all_count() throws Exception {
        UserId user = newUser();
        ReportRun run = started(user, MARCH.start());
        concurrently(16, 32, i -> () -> runs().recordDelivery(user, run.id(), MARCH.start().plusSeconds(i),
                OptionalInt.of(500), false));

        assertThat(runs().find(user, run.id()).orElseThrow().webhook().attempts()).isEqualTo(32);
    }

    @Test
    void R28_runs_page_newest_first_and_count_per_period() {
        UserId user = newUser();
        ReportRun older = started(user, MARCH.start().plusSeconds(10));
        ReportRun newer = started(user, MARCH.start().plusSeconds(20));
        ReportRun february = started(user, MARCH.start().minusSeconds(10));
        runs().replace(succeeded(older, MARCH.start().plusSeconds(30)), RunStatus.RUNNING);

        assertThat(runs().page(user, 2, 0)).extracting(ReportRun::id).containsExactly(newer.id(), older.id());
        assertThat(runs().page(user, 2, 2)).extracting(ReportRun::id).containsExactly(february.id());
        assertThat(runs().count(user)).isEqualTo(3);

        RunCounts counts = runs().countsStartedIn(user, MARCH);
        assertSameValue(counts, new RunCounts(2, 1, 0, 0, 1, 3000, dec("0.00135"),
                Optional.of(newer.startedAt())));
        assertSameValue(runs().countsStartedIn(newUser(), MARCH), new RunCounts(0, 0, 0, 0, 0, 0, BigDecimal.ZERO,
                Optional.empty()));
    }

    @Test
    void R28_token_sums_of_runs_stored_before_counts_were_bounded_never_overflow() {
        UserId user = newUser();
        for (int i = 0; i < 2; i++) {
            ReportRun run = started(user, MARCH.start().plusSeconds(10 + i));
            // As stored before the domain bounded a run's tokens (R64): each at the top of BIGINT.
            ReportRun huge = new ReportRun(run.id(), user, run.repositoryId(), run.configurationId(), run.startedAt(),
                    Optional.of(new RunOutcome(RunStatus.SUCCEEDED, run.startedAt().plusSeconds(1), Long.MAX_VALUE,
                            Long.MAX_VALUE, Optional.empty(), Long.MAX_VALUE, new RunCost(BigDecimal.ONE,
                            run.costSource()), Optional.empty(), Optional.empty())), run.webhook());
            runs().replace(huge, RunStatus.RUNNING);
        }

        assertThat(runs().countsStartedIn(user, MARCH).tokens())
                .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(4)));
    }

    @Test
    void R26_running_runs_started_before_a_cutoff_are_found_oldest_first() {
        UserId user = newUser();
        Instant base = Instant.parse("2001-01-01T00:00:00Z");
        ReportRun first = started(user, base);
        ReportRun second = started(user, base.plusSeconds(1));
        ReportRun done = started(user, base.plusSeconds(2));
        started(user, base.plusSeconds(10));
        runs().replace(succeeded(done, base.plusSeconds(3)), RunStatus.RUNNING);

        List<ReportRun> stale = runs().runningStartedBefore(base.plusSeconds(10), 100);
        assertThat(stale).extracting(ReportRun::id).containsExactly(first.id(), second.id());
        assertThat(runs().runningStartedBefore(base.plusSeconds(10), 1)).extracting(ReportRun::id)
                .containsExactly(first.id());
    }
}
