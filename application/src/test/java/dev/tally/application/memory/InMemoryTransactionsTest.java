package dev.tally.application.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.credit.CreditWrite;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.run.StartRun;
import dev.tally.application.session.CreateSession;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.DomainException;
import dev.tally.domain.credit.InsufficientCredits;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.session.Session;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * In-memory transactions cannot undo a write, so every use case must make its one refusable step
 * its first write (see {@link InMemoryTransactions}). {@link AllOrNothingCheck} watches for a
 * transaction that breaks this; the HTTP suites run over checked in-memory storage as well.
 */
class InMemoryTransactionsTest {

    private static final UserId ACME = new UserId("acme");
    /** A completed session that was never stored: replacing it declines. */
    private static final Session NO_SUCH_SESSION = Session.open("no-such-session", ACME, "t", Optional.empty(),
            Instant.parse("2026-11-01T00:00:00Z")).complete(60);
    private static final PlanId TINY = new PlanId("tiny");

    private final AllOrNothingCheck check = new AllOrNothingCheck();
    private final TallyStorage storage = check.around(InMemoryStorage.create());

    @Test
    void every_refusal_of_the_use_cases_leaves_nothing_written() {
        Tally tally = Tally.create(storage, new ManualClock(Instant.parse("2026-11-10T09:00:00Z")),
                Tally.Settings.DEFAULTS);
        tally.plans().put(Plan.of(TINY, "Tiny", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(1),
                MetricKey.SESSIONS, Limit.of(1), new MetricKey("exports"), Limit.of(1)))));
        tally.users().put(PutUser.of(ACME, TINY));

        for (int i = 0; i < 2; i++) {
            tally.runs().start(StartRun.of(ACME));
            tally.sessions().create(new CreateSession(ACME, "call", Optional.empty(), Optional.empty()));
            tally.usage().record(new RecordUsage(ACME, List.of(new UsageItem(new MetricKey("exports"),
                    BigDecimal.ONE, Optional.empty(), new IdempotencyKey("export-" + i), Map.of())), true));
        }
        Outcome<?> spent = tally.credits().write(CreditWrite.spend(ACME, 5, "upload", new IdempotencyKey("spend")));
        assertThat(spent).isInstanceOfSatisfying(Outcome.Refused.class,
                refused -> assertThat(refused.refusal()).isInstanceOf(InsufficientCredits.class));
        tally.credits().write(CreditWrite.purchase(ACME, 10, new IdempotencyKey("buy")));
        String usage = tally.credits().write(CreditWrite.spend(ACME, 3, "upload", new IdempotencyKey("use")))
                .orElseThrow().id();
        assertThatThrownBy(() -> tally.credits().write(CreditWrite.refund(ACME, usage, 4, new IdempotencyKey("r"))))
                .isInstanceOf(DomainException.class);

        check.assertNone();
    }

    @Test
    void a_use_case_refused_after_a_write_is_caught() {
        storage.transactions().inTransaction(() -> {
            storage.plans().save(Plan.of(TINY, "Tiny", new PlanLimits(Map.of())));
            return Outcome.refused(new InsufficientCredits(0, 1));
        });

        assertThat(check.violations()).singleElement().asString()
                .contains("refused with insufficient_credits after writing [PlanRepository.save]");
        assertThatThrownBy(check::assertNone).isInstanceOf(AssertionError.class);
    }

    @Test
    void a_write_declined_after_another_write_is_caught() {
        storage.transactions().run(() -> {
            storage.plans().save(Plan.of(TINY, "Tiny", new PlanLimits(Map.of())));
            storage.sessions().replaceOpen(NO_SUCH_SESSION);
        });

        assertThat(check.violations()).singleElement().asString()
                .contains("SessionRepository.replaceOpen declined after writing [PlanRepository.save]");
    }

    @Test
    void a_use_case_failing_after_a_write_is_caught() {
        assertThatThrownBy(() -> storage.transactions().run(() -> {
            storage.plans().save(Plan.of(TINY, "Tiny", new PlanLimits(Map.of())));
            throw DomainException.conflict("late", "a check after the write");
        })).isInstanceOf(DomainException.class);

        assertThat(check.violations()).singleElement().asString().contains("after writing [PlanRepository.save]");
    }

    @Test
    void a_refusable_first_write_and_reads_before_it_are_fine() {
        storage.transactions().inTransaction(() -> {
            storage.plans().find(TINY);
            storage.sessions().replaceOpen(NO_SUCH_SESSION);
            return Outcome.refused(new InsufficientCredits(0, 1));
        });

        check.assertNone();
    }
}
