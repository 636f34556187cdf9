package dev.tally.domain.run;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/** Counts of a user's runs started in one period, by status, with tokens and cost (R28). */
public record RunCounts(long total, long succeeded, long failed, long cancelled, long running, long tokens,
                        BigDecimal costUsd, Optional<Instant> lastRunAt) {

    public static final RunCounts NONE = new RunCounts(0, 0, 0, 0, 0, 0, BigDecimal.ZERO, Optional.empty());

    public RunCounts {
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(lastRunAt, "lastRunAt");
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
        return new RunCounts(total + 1,
                succeeded + (run.status() == RunStatus.SUCCEEDED ? 1 : 0),
                failed + (run.status() == RunStatus.FAILED ? 1 : 0),
                cancelled + (run.status() == RunStatus.CANCELLED ? 1 : 0),
                running + (run.status() == RunStatus.RUNNING ? 1 : 0),
                tokens + run.tokensInput() + run.tokensOutput(),
                costUsd.add(run.costUsd()),
                last);
    }
}
