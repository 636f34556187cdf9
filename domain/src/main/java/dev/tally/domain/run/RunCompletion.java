package dev.tally.domain.run;

import dev.tally.domain.Bounds;
import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/** How a run ended, as reported by the caller (R25, R27). */
public record RunCompletion(RunStatus status, long tokensInput, long tokensOutput, Optional<String> model,
                            long commitsProcessed, Optional<BigDecimal> costUsd, Optional<String> errorCode,
                            Optional<String> errorMessage) {

    /**
     * The most tokens (input or output) or commits one run may report (R64): far beyond any real
     * run, and small enough that the sums of millions of runs fit the integers they are stored in.
     */
    public static final long MAX_COUNT = Bounds.MAX_COUNT;

    public RunCompletion {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
        if (!status.isTerminal()) {
            throw DomainException.invalid("invalid_status", "a run completes as succeeded, failed or cancelled");
        }
        if (tokensInput < 0 || tokensOutput < 0 || commitsProcessed < 0) {
            throw DomainException.invalid("invalid_run_completion", "token and commit counts cannot be negative");
        }
        if (tokensInput > MAX_COUNT || tokensOutput > MAX_COUNT || commitsProcessed > MAX_COUNT) {
            throw DomainException.invalid("invalid_run_completion",
                    "token and commit counts are at most " + MAX_COUNT + " per run");
        }
        costUsd = costUsd.map(cost -> Money.quantity(cost, "cost_usd"));
        if (costUsd.filter(cost -> cost.signum() < 0).isPresent()) {
            throw DomainException.invalid("invalid_run_completion", "cost_usd cannot be negative");
        }
        if (errorMessage.filter(m -> m.length() > 2000).isPresent() || errorCode.filter(c -> c.length() > 100).isPresent()) {
            throw DomainException.invalid("invalid_run_completion", "error_code or error_message is too long");
        }
    }

    /** A plain ending with no tokens or cost, e.g. a cancellation. */
    public static RunCompletion of(RunStatus status) {
        return new RunCompletion(status, 0, 0, Optional.empty(), 0, Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
