package dev.tally.application.session;

import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.SessionRepository;
import dev.tally.application.port.UseCaseMetrics;
import dev.tally.application.usage.Metering;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.FileSizeLimitExceeded;
import dev.tally.domain.plan.LimitDecision;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.session.Session;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions: creating one counts a {@code session} (atomically enforced), needs at least a minute
 * left of {@code session_minutes} in the current period, and an item within the plan's file-size
 * cap (R16); completing one adds its minutes.
 */
public class SessionService {

    private final SessionRepository sessions;
    private final Metering metering;
    private final Accounts accounts;
    private final IdempotentWrites writes;
    private final Clock clock;
    private final UseCaseMetrics metrics;

    @Inject
    public SessionService(SessionRepository sessions, Metering metering, Accounts accounts,
                          IdempotentWrites writes, Clock clock, UseCaseMetrics metrics) {
        this.metrics = metrics;
        this.sessions = sessions;
        this.metering = metering;
        this.accounts = accounts;
        this.writes = writes;
        this.clock = clock;
    }

    /** The file size a session is opened with: a quantity that is not negative. */
    public static Optional<BigDecimal> fileSizeMb(Optional<BigDecimal> sent) {
        Optional<BigDecimal> fileSize = sent.map(size -> Money.quantity(size, "file_size_mb"));
        if (fileSize.filter(size -> size.signum() < 0).isPresent()) {
            throw DomainException.invalid("invalid_file_size", "file_size_mb cannot be negative");
        }
        return fileSize;
    }

    /** Opens a session, or refuses it with the limit that stops it. */
    public Outcome<Session> create(CreateSession command) {
        return metrics.measure("sessions.create", () -> creating(command));
    }

    private Outcome<Session> creating(CreateSession command) {
        Optional<BigDecimal> fileSize = fileSizeMb(command.fileSizeMb());
        return writes.execute(command.user(), command.idempotencyKey(), command.fingerprint(), () -> {
            Instant now = clock.instant();
            User user = accounts.user(command.user());
            Plan plan = accounts.planOf(user);
            Session session = Session.open("ses_" + UUID.randomUUID().toString().replace("-", ""), user.id(), command.title(), fileSize, now);
            Optional<FileSizeLimitExceeded> tooLarge = fileSize.flatMap(plan::checkFileSize);
            if (tooLarge.isPresent()) {
                return Outcome.refused(tooLarge.get());
            }
            BillingPeriod period = user.periodAt(now);
            UsageTotals minutes = metering.totals(user.id(), MetricKey.SESSION_MINUTES, period);
            LimitDecision minutesLeft = plan.decide(MetricKey.SESSION_MINUTES, minutes.used(), minutes.reserved(),
                    BigDecimal.ONE, period);
            if (minutesLeft instanceof LimitExceeded exceeded) {
                return Outcome.refused(exceeded);
            }
            UsageRecord counted = new UsageRecord(user.id(), MetricKey.SESSIONS, BigDecimal.ONE, now,
                    new IdempotencyKey("session:" + session.id()), Map.of("session_id", session.id()));
            return metering.record(user, plan, List.of(counted), true).map(recorded -> {
                sessions.insert(session);
                return session;
            });
        }, Session::id, id -> get(command.user(), id));
    }

    /**
     * Records the duration of an open session and adds {@code ceil(seconds / 60)} to
     * {@code session_minutes}; the minutes were used, so they are recorded even past the limit.
     */
    public Session complete(CompleteSession command) {
        String sessionId = command.sessionId();
        return writes.executeAlways(command.user(), command.idempotencyKey(), command.fingerprint(), () -> {
            User user = accounts.user(command.user());
            // The domain refuses a second completion; the store refuses one that lost a race.
            Session done = get(user.id(), sessionId).complete(command.durationSeconds());
            if (!sessions.replaceOpen(done)) {
                throw DomainException.conflict("session_already_completed",
                        "session " + sessionId + " is already completed");
            }
            long minutes = Session.billedMinutes(command.durationSeconds());
            if (minutes > 0) {
                UsageRecord record = new UsageRecord(user.id(), MetricKey.SESSION_MINUTES, BigDecimal.valueOf(minutes),
                        clock.instant(), new IdempotencyKey("session-minutes:" + sessionId),
                        Map.of("session_id", sessionId));
                metering.recordUsed(user, record);
            }
            return done;
        }, Session::id, id -> get(command.user(), id));
    }

    /** The session, or {@code 404 session_not_found}. */
    public Session get(UserId user, String sessionId) {
        return sessions.find(user, sessionId).orElseThrow(() ->
                DomainException.notFound("session_not_found", "no session " + sessionId + " for user " + user));
    }
}
