package dev.tally.domain.run;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts of a user's runs started in one period, by status, with tokens and cost (R28).
 *
 * @param tokens input and output tokens of every run, summed exactly: a sum never wraps, however
 *               large the counts already stored
 */
public record RunCounts(long total, long succeeded, long failed, long cancelled, long running, BigInteger tokens,
                        BigDecimal costUsd, Optional<Instant> lastRunAt) {

    public static final RunCounts NONE = new RunCounts(0, 0, 0, 0, 0, 0, BigDecimal.ZERO, Optional.empty());

    public RunCounts {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(lastRunAt, "lastRunAt");
    }

    /** Counts with a token total that fits a {@code long}. */
    public RunCounts(long total, long succeeded, long failed, long cancelled, long running, long tokens,
                     BigDecimal costUsd, Optional<Instant> lastRunAt) {
        this(total, succeeded, failed, cancelled, running, BigInteger.valueOf(tokens), costUsd, lastRunAt);
    }

    /** Counts the given runs. */
    public static RunCounts of(Collection<ReportRun> runs) {
        RunCounts counts = NONE;
        for (ReportRun run : runs) {
            counts = counts.plus(run);
        }
        return counts;
    }

    private RunCounts plus(ReportRun run) {
        Optional<Instant> last = lastRunAt.filter(at -> at.isAfter(run.startedAt())).or(() -> Optional.of(run.startedAt()));
        return new RunCounts(Math.addExact(total, 1),
                succeeded + (run.status() == RunStatus.SUCCEEDED ? 1 : 0),
                failed + (run.status() == RunStatus.FAILED ? 1 : 0),
                cancelled + (run.status() == RunStatus.CANCELLED ? 1 : 0),
                running + (run.status() == RunStatus.RUNNING ? 1 : 0),
                tokens.add(BigInteger.valueOf(run.tokensInput())).add(BigInteger.valueOf(run.tokensOutput())),
                costUsd.add(run.costUsd()),
                last);
    }
}
