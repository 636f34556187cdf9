package dev.tally.adapter.jdbc;

import dev.tally.application.port.ReportRunRepository;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCounts;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Report runs in SQL (R25–R29). A status change is one conditional write on the expected status,
 * so two requests ending the same run cannot both succeed; webhook attempts are counted by the
 * database.
 */
public final class JdbiReportRunRepository implements ReportRunRepository {

    private final Db db;

    JdbiReportRunRepository(Db db) {
        this.db = db;
    }

    @Override
    public void insert(ReportRun run) {
        db.inTransaction(handle -> {
            Db.attach(handle, ReportRunDao.class).insert(ReportRunDao.Row.of(run));
            return null;
        });
    }

    @Override
    public boolean replace(ReportRun run, RunStatus expected) {
        return db.inTransaction(handle ->
                Db.attach(handle, ReportRunDao.class).replace(ReportRunDao.Row.of(run), expected.wireName())) == 1;
    }

    @Override
    public Optional<ReportRun> recordDelivery(UserId user, String runId, Instant at, OptionalInt responseStatus,
                                              boolean delivered) {
        return db.inTransaction(handle -> {
            ReportRunDao dao = Db.attach(handle, ReportRunDao.class);
            Integer status = responseStatus.isPresent() ? responseStatus.getAsInt() : null;
            if (dao.recordDelivery(user.value(), runId, at, status, delivered) == 0) {
                return Optional.empty();
            }
            return dao.find(user.value(), runId);
        });
    }

    @Override
    public Optional<ReportRun> find(UserId user, String runId) {
        return db.read(handle -> Db.attach(handle, ReportRunDao.class).find(user.value(), runId));
    }

    @Override
    public List<ReportRun> page(UserId user, int limit, int offset) {
        return db.read(handle -> Db.attach(handle, ReportRunDao.class).page(user.value(), limit, offset));
    }

    @Override
    public long count(UserId user) {
        return db.read(handle -> Db.attach(handle, ReportRunDao.class).count(user.value()));
    }

    @Override
    public RunCounts countsStartedIn(UserId user, BillingPeriod period) {
        return db.read(handle ->
                Db.attach(handle, ReportRunDao.class).counts(user.value(), period.start(), period.end()));
    }

    @Override
    public List<ReportRun> runningStartedBefore(Instant cutoff, int max) {
        return db.read(handle -> Db.attach(handle, ReportRunDao.class).runningStartedBefore(cutoff, max));
    }
}
