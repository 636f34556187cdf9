package dev.tally.domain.run;

import dev.tally.domain.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run ended, as stored (R25–R27): its terminal status and when it was reached, the tokens,
 * model and commits reported, its priced cost, and the error of a run that did not succeed. A run
 * that is still running has none.
 */
public record RunOutcome(RunStatus status, Instant completedAt, long tokensInput, long tokensOutput,
                         Optional<String> model, long commitsProcessed, RunCost cost, Optional<String> errorCode,
                         Optional<String> errorMessage) {

    public RunOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(completedAt, "completedAt");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("a run ends as succeeded, failed or cancelled, not " + status);
        }
        cost = new RunCost(Money.usd(cost.usd()), cost.source());
    }

    /** The ending {@code completion} reports, at {@code now}, at the price {@code cost} (R27). */
    public static RunOutcome of(RunCompletion completion, RunCost cost, Instant now) {
        return new RunOutcome(completion.status(), now, completion.tokensInput(), completion.tokensOutput(),
                completion.model(), completion.commitsProcessed(), cost, completion.errorCode(),
                completion.errorMessage());
    }

    /** The ending of a run the timeout sweep ended: failed, with nothing reported (R26). */
    static RunOutcome timedOut(Instant now) {
        return new RunOutcome(RunStatus.FAILED, now, 0, 0, Optional.empty(), 0, RunCost.NONE,
                Optional.of(ReportRun.TIMED_OUT), Optional.of("the run was still running after the timeout"));
    }
}
