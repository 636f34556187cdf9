package dev.tally.application.webhook;

import dev.tally.application.port.Transactions;
import dev.tally.application.port.WebhookSender;
import dev.tally.application.port.WebhookStore;
import dev.tally.domain.DomainException;
import dev.tally.domain.webhook.RetrySchedule;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers due webhook deliveries (R76), one node's share at a time: claims a batch under a lease
 * (so each attempt is made by one node), posts each outside any transaction, records the attempt
 * and, unless it was delivered, when to try again ({@link RetrySchedule}) or that it failed. A
 * node that dies mid-attempt holds its lease until it runs out; then any node claims the delivery
 * again, so an event is delivered at least once and receivers dedupe by its id.
 */
public class WebhookDispatcher {

    /** Longer than an attempt can take (5 s to connect, 10 s to answer), so a live node's attempt is never made twice. */
    public static final Duration LEASE = WebhookSender.TIMEOUT.plusSeconds(20);
    static final int BATCH = 16;

    private final WebhookStore store;
    private final Transactions transactions;
    private final WebhookSender sender;
    private final UrlGuard guard;
    private final Clock clock;

    public WebhookDispatcher(WebhookStore store, Transactions transactions, WebhookSender sender, UrlGuard guard,
                             Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.sender = sender;
        this.guard = guard;
        this.clock = clock;
    }

    /** Makes one attempt at each delivery due now, up to a batch; returns how many it attempted. */
    public int dispatchDue() {
        List<WebhookStore.Due> due = transactions.inTransaction(() -> store.claimDue(clock.instant(), LEASE, BATCH));
        due.forEach(this::attempt);
        return due.size();
    }

    private void attempt(WebhookStore.Due due) {
        Instant at = clock.instant();
        WebhookSender.Result result;
        try {
            URI url = guard.check(due.endpoint().url());
            result = sender.send(url, due.endpoint().secret(), due.event().id(), due.event().json());
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
        transactions.run(() -> store.recorded(due.deliveryId(), made, delivered, retryAt));
    }
}
