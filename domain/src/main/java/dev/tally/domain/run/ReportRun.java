package dev.tally.domain.run;

import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One execution of a job (R25–R29). It is {@code running} until it ends once as
 * {@code succeeded}, {@code failed} or {@code cancelled}, which its {@link RunOutcome} records;
 * terminal runs never change state again. Only succeeded runs count as runs used; a running run
 * holds a reservation (R26).
 *
 * @param outcome how the run ended; empty while it is running
 */
public record ReportRun(String id, UserId user, Optional<String> repositoryId, Optional<String> configurationId,
                        Instant startedAt, Optional<RunOutcome> outcome, WebhookDelivery webhook) {

    /** The error code of a run ended by the timeout sweep (R26). */
    public static final String TIMED_OUT = "timed_out";

    public ReportRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(repositoryId, "repositoryId");
        Objects.requireNonNull(configurationId, "configurationId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(webhook, "webhook");
    }

    /** A run that has just started. */
    public static ReportRun start(String id, UserId user, Optional<String> repositoryId,
                                  Optional<String> configurationId, Instant now) {
        return new ReportRun(id, user, repositoryId, configurationId, now, Optional.empty(), WebhookDelivery.NONE);
    }

    /**
     * The run ended as {@code completion} says, priced from {@code prices} (R27).
     *
     * @throws DomainException {@code run_not_running} (a conflict) if the run has already ended
     */
    public ReportRun complete(RunCompletion completion, PriceTable prices, Instant now) {
        requireRunning(completion.status());
        RunCost cost = prices.costOf(completion.model().orElse(null), completion.tokensInput(),
                completion.tokensOutput(), completion.costUsd());
        return endedAs(RunOutcome.of(completion, cost, now));
    }

    /** The run ended as {@code failed} with {@code error_code = "timed_out"} (R26). */
    public ReportRun timeOut(Instant now) {
        requireRunning(RunStatus.FAILED);
        return endedAs(RunOutcome.timedOut(now));
    }

    /** The run with one more webhook delivery attempt recorded (R29). */
    public ReportRun withDeliveryAttempt(Instant at, OptionalInt responseStatus, boolean delivered) {
        return new ReportRun(id, user, repositoryId, configurationId, startedAt, outcome,
                webhook.attempt(at, responseStatus, delivered));
    }

    /** {@code running} until the run ends, then the status it ended as. */
    public RunStatus status() {
        return outcome.map(RunOutcome::status).orElse(RunStatus.RUNNING);
    }

    /** When the run ended; empty while it is running. */
    public Optional<Instant> completedAt() {
        return outcome.map(RunOutcome::completedAt);
    }

    /** Input tokens reported when the run ended; 0 while it is running. */
    public long tokensInput() {
        return outcome.map(RunOutcome::tokensInput).orElse(0L);
    }

    /** Output tokens reported when the run ended; 0 while it is running. */
    public long tokensOutput() {
        return outcome.map(RunOutcome::tokensOutput).orElse(0L);
    }

    /** The model reported when the run ended, if any. */
    public Optional<String> model() {
        return outcome.flatMap(RunOutcome::model);
    }

    /** Commits reported when the run ended; 0 while it is running. */
    public long commitsProcessed() {
        return outcome.map(RunOutcome::commitsProcessed).orElse(0L);
    }

    /** The run's cost in USD (R27); 0 while it is running. */
    public BigDecimal costUsd() {
        return cost().usd();
    }

    /** Where the run's cost came from; {@code unpriced} while it is running. */
    public RunCost.Source costSource() {
        return cost().source();
    }

    /** The error code of a run that did not succeed, if any. */
    public Optional<String> errorCode() {
        return outcome.flatMap(RunOutcome::errorCode);
    }

    /** The error message of a run that did not succeed, if any. */
    public Optional<String> errorMessage() {
        return outcome.flatMap(RunOutcome::errorMessage);
    }

    private RunCost cost() {
        return outcome.map(RunOutcome::cost).orElse(RunCost.NONE);
    }

    private ReportRun endedAs(RunOutcome ending) {
        return new ReportRun(id, user, repositoryId, configurationId, startedAt, Optional.of(ending), webhook);
    }

    private void requireRunning(RunStatus target) {
        if (status().isTerminal()) {
            throw DomainException.conflict("run_not_running",
                    "run " + id + " is " + status().wireName() + " and cannot become " + target.wireName());
        }
    }
}
