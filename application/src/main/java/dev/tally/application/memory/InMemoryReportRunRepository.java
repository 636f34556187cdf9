package dev.tally.application.memory;

import dev.tally.application.port.ReportRunRepository;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCounts;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/** Report runs in memory; changes of one run are atomic. */
public final class InMemoryReportRunRepository implements ReportRunRepository {

    private static final Comparator<ReportRun> NEWEST_FIRST =
            Comparator.comparing(ReportRun::startedAt).reversed().thenComparing(ReportRun::id);

    private final Map<String, ReportRun> runs = new ConcurrentHashMap<>();

    @Override
    public void insert(ReportRun run) {
        if (runs.putIfAbsent(run.id(), run) != null) {
            throw new IllegalStateException("run " + run.id() + " already exists");
        }
    }

    @Override
    public boolean replace(ReportRun run, RunStatus expected) {
        boolean[] replaced = new boolean[1];
        runs.computeIfPresent(run.id(), (id, stored) -> {
            replaced[0] = stored.status() == expected;
            return replaced[0] ? run : stored;
        });
        return replaced[0];
    }

    @Override
    public Optional<ReportRun> recordDelivery(UserId user, String runId, Instant at, OptionalInt responseStatus,
                                              boolean delivered) {
        ReportRun updated = runs.computeIfPresent(runId, (id, stored) -> stored.user().equals(user)
                ? stored.withDeliveryAttempt(at, responseStatus, delivered) : stored);
        return Optional.ofNullable(updated).filter(run -> run.user().equals(user));
    }

    @Override
    public Optional<ReportRun> find(UserId user, String runId) {
        return Optional.ofNullable(runs.get(runId)).filter(run -> run.user().equals(user));
    }

    @Override
    public List<ReportRun> page(UserId user, int limit, int offset) {
        return runs.values().stream()
                .filter(run -> run.user().equals(user))
                .sorted(NEWEST_FIRST)
                .skip(offset)
                .limit(limit)
                .toList();
    }

    @Override
    public long count(UserId user) {
        return runs.values().stream().filter(run -> run.user().equals(user)).count();
    }

    @Override
    public RunCounts countsStartedIn(UserId user, BillingPeriod period) {
        return RunCounts.of(runs.values().stream()
                .filter(run -> run.user().equals(user) && period.contains(run.startedAt()))
                .toList());
    }

    @Override
    public List<ReportRun> runningStartedBefore(Instant cutoff, int max) {
        return runs.values().stream()
                .filter(run -> run.status() == RunStatus.RUNNING && run.startedAt().isBefore(cutoff))
                .sorted(Comparator.comparing(ReportRun::startedAt))
                .limit(max)
                .toList();
    }
}
