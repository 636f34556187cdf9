package dev.tally.domain.run;

import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One execution of a job (R25–R29). It is {@code running} until it ends once as
 * {@code succeeded}, {@code failed} or {@code cancelled}; terminal runs never change state again.
 * Only succeeded runs count as runs used; a running run holds a reservation (R26).
 */
public record ReportRun(String id, UserId user, Optional<String> repositoryId, Optional<String> configurationId,
                        RunStatus status, Instant startedAt, Optional<Instant> completedAt, long tokensInput,
                        long tokensOutput, Optional<String> model, long commitsProcessed, BigDecimal costUsd,
                        RunCost.Source costSource, Optional<String> errorCode, Optional<String> errorMessage,
                        WebhookDelivery webhook) {

    /** The error code of a run ended by the timeout sweep (R26). */
    public static final String TIMED_OUT = "timed_out";

    public ReportRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(repositoryId, "repositoryId");
        Objects.requireNonNull(configurationId, "configurationId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(completedAt, "completedAt");
        Objects.requireNonNull(model, "model");
        costUsd = Money.usd(Objects.requireNonNull(costUsd, "costUsd"));
        Objects.requireNonNull(costSource, "costSource");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(webhook, "webhook");
    }

    /** A run that has just started. */
    public static ReportRun start(String id, UserId user, Optional<String> repositoryId,
                                  Optional<String> configurationId, Instant now) {
        return new ReportRun(id, user, repositoryId, configurationId, RunStatus.RUNNING, now, Optional.empty(), 0, 0,
                Optional.empty(), 0, BigDecimal.ZERO, RunCost.Source.UNPRICED, Optional.empty(), Optional.empty(),
                WebhookDelivery.NONE);
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
        return new ReportRun(id, user, repositoryId, configurationId, completion.status(), startedAt, Optional.of(now),
                completion.tokensInput(), completion.tokensOutput(), completion.model(), completion.commitsProcessed(),
                cost.usd(), cost.source(), completion.errorCode(), completion.errorMessage(), webhook);
    }

    /** The run ended as {@code failed} with {@code error_code = "timed_out"} (R26). */
    public ReportRun timeOut(Instant now) {
        requireRunning(RunStatus.FAILED);
        return new ReportRun(id, user, repositoryId, configurationId, RunStatus.FAILED, startedAt, Optional.of(now),
                tokensInput, tokensOutput, model, commitsProcessed, costUsd, costSource, Optional.of(TIMED_OUT),
                Optional.of("the run was still running after the timeout"), webhook);
    }

    /** The run with one more webhook delivery attempt recorded (R29). */
    public ReportRun withDeliveryAttempt(Instant at, OptionalInt responseStatus, boolean delivered) {
        return new ReportRun(id, user, repositoryId, configurationId, status, startedAt, completedAt, tokensInput,
                tokensOutput, model, commitsProcessed, costUsd, costSource, errorCode, errorMessage,
                webhook.attempt(at, responseStatus, delivered));
    }

    private void requireRunning(RunStatus target) {
        if (status.isTerminal()) {
            throw DomainException.conflict("run_not_running",
                    "run " + id + " is " + status.wireName() + " and cannot become " + target.wireName());
        }
    }
}
