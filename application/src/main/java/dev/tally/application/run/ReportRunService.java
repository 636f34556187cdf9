package dev.tally.application.run;

import dev.tally.application.event.EventRecorder;
import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.AppendResult;
import dev.tally.application.port.ReportRunRepository;
import dev.tally.application.port.ReserveResult;
import dev.tally.application.port.Transactions;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.UseCaseMetrics;
import dev.tally.application.port.UserRepository;
import dev.tally.application.usage.Metering;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.usecase.Paging;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.event.Event;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunStatistics;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Report runs (R25–R29). Starting a run reserves one run in the period it starts in (running +
 * succeeded never exceed the limit, atomically); succeeding turns the reservation into a used
 * run; failing, cancelling or timing out gives it back. Only succeeded runs count as used.
 *
 * <p>The reservation is a hold of the ledger like any other (R71) that expires at the run's
 * timeout: from then on it no longer counts, whether or not the sweep has ended the run yet.
 */
public class ReportRunService {

    private static final int SWEEP_BATCH = 100;

    private final ReportRunRepository runs;
    private final UsageLedger ledger;
    private final Metering metering;
    private final ModelPriceService prices;
    private final Accounts accounts;
    private final IdempotentWrites writes;
    private final Transactions transactions;
    private final Clock clock;
    private final Duration timeout;
    private final UseCaseMetrics metrics;
    private final EventRecorder events;

    /**
     * @param timeout how long a run may stay {@code running} before the sweep ends it as
     *                {@code failed / timed_out} (R26; default 1 hour)
     */
    @Inject
    public ReportRunService(ReportRunRepository runs, UsageLedger ledger, Metering metering, ModelPriceService prices,
                            Accounts accounts, IdempotentWrites writes, Transactions transactions, Clock clock,
                            Duration timeout, UseCaseMetrics metrics, EventRecorder events) {
        this.metrics = metrics;
        this.events = events;
        this.runs = runs;
        this.ledger = ledger;
        this.metering = metering;
        this.prices = prices;
        this.accounts = accounts;
        this.writes = writes;
        this.transactions = transactions;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Starts a run, or refuses it when running + succeeded runs have reached the limit. */
    public Outcome<ReportRun> start(StartRun command) {
        return metrics.measure("runs.start", () -> starting(command));
    }

    private Outcome<ReportRun> starting(StartRun command) {
        Outcome<ReportRun> outcome = attemptStart(command);
        if (outcome.isRefused() && sweepTimedOut() > 0) {
            // A stale run may have been holding the last reservation.
            outcome = attemptStart(command);
        }
        return outcome;
    }

    private Outcome<ReportRun> attemptStart(StartRun command) {
        return writes.execute(command.user(), command.idempotencyKey(), command.fingerprint(),
                () -> startingOnce(command), ReportRun::id, id -> get(command.user(), id));
    }

    /** One start in its transaction: the user and its plan read together, the run held, then stored. */
    private Outcome<ReportRun> startingOnce(StartRun command) {
        UserRepository.WithPlan account = accounts.withPlan(command.user());
        User user = account.user();
        Plan plan = account.plan().orElseThrow();
        ReportRun run = ReportRun.start("run_" + UUID.randomUUID().toString().replace("-", ""), user.id(),
                command.repositoryId(), command.configurationId(), clock.instant());
        // A run's hold ends with the run: a refusal sweeps runs past their timeout, in transactions
        // of their own, and starts again (see starting).
        return metering.place(user.id(), plan, () -> hold(user, plan, run), denied -> false).map(held -> {
            runs.insert(run);
            return run;
        });
    }

    /** Holds one run until the run's timeout (R26, R71). */
    private ReserveResult hold(User user, Plan plan, ReportRun run) {
        return ledger.hold(user.id(), run.id(), MetricKey.RUNS, BigDecimal.ONE, run.startedAt(),
                run.startedAt().plus(timeout), user.periodAt(run.startedAt()), plan.limitOf(MetricKey.RUNS));
    }

    /**
     * Ends a running run (R25, R27); any transition out of a terminal state is
     * {@code 409 run_not_running}.
     */
    public ReportRun complete(CompleteRun command) {
        return writes.executeAlways(command.user(), command.idempotencyKey(), command.fingerprint(), () -> {
            ReportRun run = get(command.user(), command.runId());
            ReportRun ended = run.complete(command.completion(), prices.table(), clock.instant());
            settle(ended);
            return ended;
        }, ReportRun::id, id -> get(command.user(), id));
    }

    /** Records one attempt to deliver the run's result to a webhook (R29); a retry with the same key counts once. */
    public ReportRun recordDelivery(RecordDelivery command) {
        UserId user = command.user();
        return writes.executeAlways(user, command.idempotencyKey(), command.fingerprint(),
                () -> runs.recordDelivery(user, command.runId(), clock.instant(), command.responseStatus(),
                                command.delivered())
                        .orElseThrow(() -> notFound(user, command.runId())),
                ReportRun::id, id -> get(user, id));
    }

    /** The run, or {@code 404 run_not_found}. */
    public ReportRun get(UserId user, String runId) {
        return runs.find(user, runId).orElseThrow(() -> notFound(user, runId));
    }

    /** The user's runs, newest first. */
    public RunPage list(UserId user, Paging paging) {
        accounts.user(user);
        return new RunPage(runs.page(user, paging.limit(), paging.offset()), paging.limit(), paging.offset(),
                runs.count(user));
    }

    /** Monthly run statistics of the period containing {@code at}, default now (R28). */
    public RunStatistics usage(UserId id, Optional<Instant> at) {
        User user = accounts.user(id);
        return statistics(user, accounts.planOf(user), user.periodAt(at.orElseGet(clock::instant)));
    }

    /** Run statistics of {@code period}, with remaining runs from the same rollup that enforces the limit. */
    public RunStatistics statistics(User user, Plan plan, BillingPeriod period) {
        return RunStatistics.of(period, runs.countsStartedIn(user.id(), period),
                metering.totals(user.id(), MetricKey.RUNS, period), plan.limitOf(MetricKey.RUNS));
    }

    /**
     * Ends every run still running after the timeout as {@code failed / timed_out} and releases
     * its reservation, so reservations never leak (R26). Returns how many runs it ended.
     */
    public int sweepTimedOut() {
        Instant cutoff = clock.instant().minus(timeout);
        int ended = 0;
        List<ReportRun> stale;
        do {
            stale = runs.runningStartedBefore(cutoff, SWEEP_BATCH);
            for (ReportRun run : stale) {
                try {
                    transactions.run(() -> settle(run.timeOut(clock.instant())));
                    ended++;
                } catch (DomainException raced) {
                    // Completed by its caller meanwhile: nothing to time out.
                }
            }
        } while (stale.size() == SWEEP_BATCH);
        return ended;
    }

    /** Stores an ended run, settles its reservation and records that it completed, in the same transaction. */
    private void settle(ReportRun ended) {
        if (!runs.replace(ended, RunStatus.RUNNING)) {
            throw DomainException.conflict("run_not_running", "run " + ended.id() + " has already ended");
        }
        events.runCompleted(ended.user(), Event.runKey(ended.id()), fresh -> Event.runCompleted(fresh.id(), fresh.at(),
                ended.user(), ended.id(), ended.status().wireName(), ended.costUsd(), ended.errorCode().orElse(null)));
        if (ended.status() == RunStatus.SUCCEEDED) {
            // Committed as of the run's start: its success counts its hold, expired or not, unless ended.
            Optional<AppendResult.Raised> consumed = ledger.commit(ended.user(), ended.id(), BigDecimal.ONE,
                    "run:" + ended.id(), ended.startedAt());
            if (consumed.isPresent()) {
                events.thresholdsReached(ended.user(), accounts.planOf(accounts.user(ended.user())), consumed.get());
            } else {
                // Its hold expired and was ended before the run finished: the run still succeeded,
                // so it counts, past the limit if need be, like any usage that has happened.
                User user = accounts.user(ended.user());
                metering.recordUsed(user, new UsageRecord(user.id(), MetricKey.RUNS, BigDecimal.ONE, ended.startedAt(),
                        new IdempotencyKey("run:" + ended.id()), Map.of("reservation_id", ended.id())));
            }
        } else {
            ledger.release(ended.user(), ended.id(), ended.startedAt());
        }
    }

    private static DomainException notFound(UserId user, String runId) {
        return DomainException.notFound("run_not_found", "no report run " + runId + " for user " + user);
    }
}
