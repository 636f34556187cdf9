package dev.tally.application.webhook;

import dev.tally.application.port.Transactions;
import dev.tally.application.port.WebhookSender;
import dev.tally.application.port.WebhookStore;
import dev.tally.domain.DomainException;
import dev.tally.domain.webhook.RetrySchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delivers due webhook deliveries (R76, R77), one node's share at a time: claims what it has room
 * to start now under a lease (so each attempt is made by one node), makes each attempt on the
 * executor it was given, outside any transaction, and records it under the claim it was made
 * under, with, unless it was delivered, when to try again ({@link RetrySchedule}) or that it
 * failed. An endpoint has at most {@link #PER_ENDPOINT} attempts under way across all nodes, so a
 * slow one holds only its own share and never delays another. A node that dies mid-attempt holds
 * its lease until it runs out; then any node claims the delivery again, so an event is delivered
 * at least once and receivers dedupe by its id.
 */
public class WebhookDispatcher {

    /** How long a claim lasts: an attempt starts only if it ends (in {@link WebhookSender#TIMEOUT}) well inside it. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    /** Attempts under way at one endpoint, on all nodes together. */
    public static final int PER_ENDPOINT = 2;
    /** A node's attempts under way: every endpoint's share at once, so that none waits for another's. */
    public static final int IN_FLIGHT = WebhookService.MAX_ENDPOINTS * PER_ENDPOINT;
    /** An attempt starts only with this much of its claim's lease left beyond its own timeout. */
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private final WebhookStore store;
    private final Transactions transactions;
    private final WebhookSender sender;
    private final UrlGuard guard;
    private final Clock clock;
    private final Executor executor;
    private final Semaphore room;
    private final Semaphore ended = new Semaphore(0);

    /**
     * A dispatcher making up to {@code inFlight} attempts at once on {@code executor}, which must
     * start each at once (a thread per attempt, up to {@code inFlight}); with
     * {@code Runnable::run} and 1, attempts are made one by one in the caller's thread.
     */
    public WebhookDispatcher(WebhookStore store, Transactions transactions, WebhookSender sender, UrlGuard guard,
                             Clock clock, Executor executor, int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1");
        }
        this.store = store;
        this.transactions = transactions;
        this.sender = sender;
        this.guard = guard;
        this.clock = clock;
        this.executor = executor;
        this.room = new Semaphore(inFlight);
    }

    /**
     * Claims the due deliveries there is room for (at most one per endpoint) and starts an attempt
     * at each; returns how many it started.
     */
    public int dispatchDue() {
        int free = room.drainPermits();
        if (free == 0) {
            return 0;
        }
        Instant now = clock.instant();
        List<WebhookStore.Due> due;
        try {
            due = transactions.inTransaction(() -> store.claimDue(now, LEASE, free, PER_ENDPOINT));
        } catch (RuntimeException e) {
            room.release(free);
            throw e;
        }
        // Each claimed delivery keeps one of the permits taken until its attempt ends.
        room.release(free - due.size());
        due.forEach(claimed -> start(claimed, now));
        return due.size();
    }

    /** Waits until one of this dispatcher's attempts ends, or {@code timeout} passes. */
    public void awaitAttemptEnd(Duration timeout) throws InterruptedException {
        if (ended.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            ended.drainPermits();
        }
    }

    private void start(WebhookStore.Due due, Instant claimedAt) {
        try {
            executor.execute(() -> {
                try {
                    attempt(due, claimedAt);
                } finally {
                    room.release();
                    ended.release();
                }
            });
        } catch (RejectedExecutionException stopping) {
            // The node is stopping: the lease runs out and another round, or node, makes the attempt.
            room.release();
        }
    }

    private void attempt(WebhookStore.Due due, Instant claimedAt) {
        Instant at = clock.instant();
        WebhookSender.Result result;
        try {
            WebhookSender.Target target = guard.target(due.endpoint().url());
            if (clock.instant().plus(WebhookSender.TIMEOUT).plus(MARGIN).isAfter(claimedAt.plus(LEASE))) {
                // Too late to end inside the lease (a slow name lookup): another node may claim it meanwhile.
                return;
            }
            result = sender.send(target, due.endpoint().secret(), due.event().id(), due.event().json());
        } catch (DomainException refused) {
            result = new WebhookSender.Result(OptionalInt.empty(), 0, Optional.of(refused.getMessage()));
        }
        int attempt = due.attemptsMade() + 1;
        Optional<Instant> retryAt = result.delivered() ? Optional.empty()
                : RetrySchedule.next(attempt, due.firstAttemptAt().orElse(at), clock.instant(),
                        ThreadLocalRandom.current().nextDouble());
        WebhookStore.Attempt made = new WebhookStore.Attempt(due.event().id(), attempt, result.statusCode(),
                result.latencyMs(), result.error(), at);
        boolean delivered = result.delivered();
        transactions.run(() -> store.recorded(due, made, delivered, retryAt));
    }
}
