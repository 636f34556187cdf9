package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCounts;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Report runs (R25–R29). */
public interface ReportRunRepository {

    void insert(ReportRun run);

    /**
     * Stores {@code run} over the stored run with its id, only if the stored status is still
     * {@code expected}; returns false when another request changed it first.
     */
    boolean replace(ReportRun run, RunStatus expected);

    /** Adds one webhook delivery attempt atomically (R29); empty when there is no such run. */
    Optional<ReportRun> recordDelivery(UserId user, String runId, Instant at, OptionalInt responseStatus,
                                       boolean delivered);

    Optional<ReportRun> find(UserId user, String runId);

    /** The user's runs, newest first. */
    List<ReportRun> page(UserId user, int limit, int offset);

    long count(UserId user);

    /** Counts of the user's runs started in {@code period} (R28). */
    RunCounts countsStartedIn(UserId user, BillingPeriod period);

    /** Runs of any user still running that started before {@code cutoff}, oldest first. */
    List<ReportRun> runningStartedBefore(Instant cutoff, int max);
}
