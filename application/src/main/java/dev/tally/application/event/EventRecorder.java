package dev.tally.application.event;

import dev.tally.application.port.AllocationRepository;
import dev.tally.application.port.AppendResult;
import dev.tally.application.port.Denied;
import dev.tally.application.port.EventLog;
import dev.tally.application.port.Transactions;
import dev.tally.application.port.WebhookStore;
import dev.tally.domain.event.Event;
import dev.tally.domain.event.EventType;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.rate.RateDecision;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Records events inside the caller's transaction (R75), with their webhook deliveries (R76), and tells the registered listeners about
 * each once that transaction has committed (R78). Not a use case: the services that cause events
 * get it by constructor. One per Tally ({@code @Singleton} for a container), since the listeners
 * registered through {@link EventService} are its own.
 *
 * <p>Events per user are bounded (R67). Those told once per fact that only so many facts can
 * cause are bounded by construction and never coalesced: a threshold reached once per (metric,
 * period, threshold) and the first denial once per (metric, period) of the metrics a plan limits,
 * an allocation's once per allocation the plan lists, a low balance once per operator's credit
 * entry that raised it. A run's completion is the one event a client can cause at will (a run per
 * request when runs are unlimited): at most {@value #RUN_EVENTS_PER_MINUTE} {@code run.completed}
 * per user in each minute of the clock (UTC, from :00), counted exactly across nodes; past that,
 * one {@code events.coalesced} event stands for the rest of that minute's completions, which are
 * not recorded one by one (the runs themselves are stored as always).
 */
@Singleton
public class EventRecorder {

    private final EventLog log;
    private final WebhookStore webhooks;
    private final Transactions transactions;
    private final Clock clock;
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();

    /** The {@code run.completed} events recorded per user and minute before the rest are coalesced (R67). */
    public static final int RUN_EVENTS_PER_MINUTE = 100;
    private static final Duration WINDOW = Duration.ofMinutes(1);

    @Inject
    public EventRecorder(EventLog log, WebhookStore webhooks, Transactions transactions, Clock clock) {
        this.log = log;
        this.webhooks = webhooks;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Appends the event {@code build} makes from a fresh id and the clock's instant, unless the
     * user already has one under {@code onceKey}; must run inside the causing write's transaction.
     */
    public void recordOnce(String onceKey, Function<Fresh, Event> build) {
        Event event = build.apply(new Fresh("evt_" + UUID.randomUUID().toString().replace("-", ""), clock.instant()));
        if (!log.appendOnce(event, onceKey)) {
            return;
        }
        // Its deliveries are created with it, so they exist if and only if it does (R76).
        webhooks.enqueue(event, event.createdAt());
        if (!listeners.isEmpty()) {
            transactions.afterCommit(() -> publish(event));
        }
    }

    /**
     * Appends the event of a run's completion (R75) within the user's bound of
     * {@value #RUN_EVENTS_PER_MINUTE} per minute (R67); past it, the window's one
     * {@code events.coalesced} event instead. Must run inside the causing write's transaction.
     */
    public void runCompleted(UserId user, String onceKey, Function<Fresh, Event> build) {
        Instant window = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        if (log.admit(user, EventType.RUN_COMPLETED, window, RUN_EVENTS_PER_MINUTE)) {
            recordOnce(onceKey, build);
            return;
        }
        recordOnce(Event.coalescedKey(EventType.RUN_COMPLETED, window), fresh -> Event.coalesced(fresh.id(),
                fresh.at(), user, EventType.RUN_COMPLETED, RUN_EVENTS_PER_MINUTE, window, window.plus(WINDOW)));
    }

    /**
     * One event per threshold of the plan that a raise took used across (R75). The ledger's row
     * lock orders the raises of one rollup, so their before-and-after ranges never overlap and one
     * raise alone crosses each threshold; the once-key keeps it one even when the rollup is rebuilt
     * or lowered.
     */
    public void thresholdsReached(UserId user, Plan plan, AppendResult.Raised raised) {
        crossings(user, plan, raised.metric(), plan.limitOf(raised.metric()), raised.usedBefore(), raised.usedAfter(),
                raised.period(), (max, threshold) -> Event.thresholdKey(raised.metric(), raised.period(), threshold));
    }

    /**
     * Re-arms each threshold of the plan that a void (R92) took {@code metric}'s value in
     * {@code period} back under: those whose mark, {@code t%} of the user's limit now, has
     * {@code after < mark <= before}. The next write of the period that takes the value from
     * below such a mark to at or above it creates a new {@code usage.threshold_reached} event; the
     * events already created stay. A threshold the value stays at or above is left as it is, and
     * an unlimited metric has none. Must run inside the void's transaction, which holds the
     * rollup locked, so no raise of it decides meanwhile.
     */
    public void thresholdsRearmed(UserId user, Plan plan, MetricKey metric, BillingPeriod period, BigDecimal before,
                                  BigDecimal after) {
        Limit limit = plan.limitOf(metric);
        if (limit.isUnlimited()) {
            return;
        }
        // The thresholds a rise from after back to before would cross: after < mark <= before.
        for (int threshold : plan.alerts().crossed(after, before, limit.max().orElseThrow())) {
            log.rearm(user, Event.thresholdKey(metric, period, threshold));
        }
    }

    /**
     * One event per threshold of the plan that an allocation change (R72) took the value across
     * (R75), with no period; once per (user, allocation, limit, threshold), so a fall and a rise
     * again are not told twice, while a plan change to another limit arms its thresholds anew. The
     * allocation's row lock orders the changes as the ledger's orders raises.
     */
    public void allocationThresholdsReached(UserId user, Plan plan, MetricKey allocation,
                                            AllocationRepository.Changed changed) {
        crossings(user, plan, allocation, plan.allocationLimitOf(allocation), changed.before(), changed.value(),
                null, (max, threshold) -> Event.allocationThresholdKey(allocation, max, threshold));
    }

    private void crossings(UserId user, Plan plan, MetricKey metric, Limit limit, BigDecimal before, BigDecimal after,
                           BillingPeriod period, BiFunction<BigDecimal, Integer, String> onceKey) {
        if (limit.isUnlimited()) {
            return;
        }
        BigDecimal max = limit.max().orElseThrow();
        for (int threshold : plan.alerts().crossed(before, after, max)) {
            recordOnce(onceKey.apply(max, threshold), fresh ->
                    Event.thresholdReached(fresh.id(), fresh.at(), user, metric, threshold, after, max, period));
        }
    }

    /** The first denial of a metric in a period is recorded; later ones are not (R75). */
    public void limitDenied(UserId user, Denied denied) {
        recordOnce(Event.deniedKey(denied.metric(), denied.period()), fresh ->
                Event.limitDenied(fresh.id(), fresh.at(), user, denied.metric(), denied.current().used(),
                        denied.current().reserved(), denied.requested(), denied.limit(), denied.period()));
    }

    /**
     * The first refusal of {@code metric} by its rate limit in a minute is recorded, later ones of
     * that minute are not: a client hammering a rate causes no event storm (R90, R91).
     */
    public void rateLimited(UserId user, MetricKey metric, RateDecision.Refused refused) {
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        MetricRate rate = refused.rate();
        recordOnce(Event.rateLimitedKey(metric, minute), fresh -> Event.rateLimited(fresh.id(), fresh.at(), user,
                metric, rate.limit(), rate.perSeconds(), rate.burst(), refused.retryAfterMillis().orElse(null),
                minute));
    }

    /**
     * The first refused increase of an allocation (R72) is recorded, with no period and nothing
     * reserved; later ones are not (R75).
     */
    public void allocationDenied(UserId user, MetricKey allocation, AllocationRepository.OverLimit over,
                                 BigDecimal requested) {
        recordOnce(Event.allocationDeniedKey(allocation), fresh ->
                Event.limitDenied(fresh.id(), fresh.at(), user, allocation, over.value(), BigDecimal.ZERO, requested,
                        over.limit(), null));
    }

    void listen(EventListener listener) {
        listeners.add(listener);
    }

    private void publish(Event event) {
        for (EventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException ignored) {
                // One embedder's failing listener must not fail the write that committed, nor the others.
            }
        }
    }

    /** The id and instant of an event about to be recorded. */
    public record Fresh(String id, Instant at) {
    }
}
