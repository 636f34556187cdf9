package dev.tally.application.credit;

import dev.tally.application.event.EventRecorder;
import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditEntry;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.application.port.Transactions;
import dev.tally.domain.DomainException;
import dev.tally.domain.Fingerprint;
import dev.tally.domain.credit.CreditLedger;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.Draw;
import dev.tally.domain.credit.GrantTerms;
import dev.tally.domain.event.Event;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.CreditsPerPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanAlerts;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The credit steps that use cases share, run inside the caller's transaction: a plan's credits of
 * each period granted lazily (R37), the balance held while a write decides on it, the spend of a
 * credit-priced record (R38) and its refund when the record is voided (R92), each with the events
 * it causes (R36, R75).
 *
 * <p>Not a use case: services get it by constructor; clients call the services.
 */
public class Credits {

    /** How many periods without a request a plan's credits are caught up over, one grant each (R37). */
    private static final int MAX_MISSED_PERIODS = 1000;

    private final CreditTransactionRepository ledger;
    private final EventRecorder events;
    private final Transactions transactions;

    @Inject
    public Credits(CreditTransactionRepository ledger, EventRecorder events, Transactions transactions) {
        this.ledger = ledger;
        this.events = events;
        this.transactions = transactions;
    }

    /**
     * The id of the spend that the record stored under {@code key} made (R38): one per record, so a
     * retry finds it rather than spending again (R20) and a void finds what to refund (R92).
     */
    public static String spendIdOf(UserId user, IdempotencyKey key) {
        return "txn_" + Fingerprint.of("usage-spend").with("user", user.value()).with("key", key.value()).hex()
                .substring(0, 32);
    }

    /**
     * Grants the plan's credits of each period up to {@code now} that has none yet (R37): lazily, by
     * the first read or write of a period, exactly once per (user, period) whatever races it, each
     * period carrying what the rollover allows of the one before.
     */
    public void catchUp(User user, Optional<Plan> plan, Instant now) {
        Optional<CreditsPerPeriod> credits = plan.flatMap(Plan::creditsPerPeriod);
        if (credits.isEmpty()) {
            return;
        }
        BillingPeriod current = user.periodAt(now);
        Optional<Instant> latest = ledger.latestPeriodGranted(user.id());
        if (latest.filter(start -> !start.isBefore(current.start())).isPresent()) {
            return;
        }
        BillingPeriod period = latest.map(start -> user.periodAt(user.periodAt(start).end())).orElse(current);
        for (int missed = 0; !period.start().isAfter(current.start()); missed++) {
            if (missed == MAX_MISSED_PERIODS) {
                period = current;
            }
            BillingPeriod granting = period;
            long carried = ledger.periodGrant(user.id(), user.periodAt(granting.start().minusNanos(1)).start())
                    .map(previous -> credits.get().carried(previous.remaining())).orElse(0L);
            CreditEntry entry = new CreditEntry(newId(), user.id(),
                    CreditType.GRANT, Math.addExact(credits.get().amount(), carried), Optional.empty(),
                    Optional.empty(), Optional.empty(), granting.start(), false,
                    new GrantTerms(credits.get().priority(), Optional.of(granting.end())),
                    Optional.of(granting.start()));
            transactions.run(() -> {
                if (ledger.append(entry) instanceof CreditAppend.Appended appended) {
                    expired(appended.expired());
                }
            });
            period = user.periodAt(granting.end());
        }
    }

    /**
     * Holds the user's balance until the caller's transaction ends and returns it at {@code at}
     * (R36): no other entry of the user is appended meanwhile, so what it covers can be spent.
     */
    public long hold(UserId user, Instant at) {
        return ledger.holdBalance(user, at);
    }

    /** The user's balance at {@code at}, without what lapsed by then (R36); reads only. */
    public long balance(UserId user, Instant at) {
        return ledger.balance(user, at);
    }

    /** Whether the record stored under {@code key} has spent its credits already (R20, R38). */
    public boolean spent(UserId user, IdempotencyKey key) {
        return ledger.find(user, spendIdOf(user, key)).isPresent();
    }

    /**
     * Spends {@code credits} for the record stored under {@code key}, as usage of {@code metric}
     * (R33, R38), drawing from the grants in spending order (R35). The caller holds the balance and
     * has found it covers the spend.
     */
    public CreditTransaction spendFor(UserId user, IdempotencyKey key, MetricKey metric, long credits, Instant at,
                                      PlanAlerts alerts) {
        CreditEntry entry = new CreditEntry(spendIdOf(user, key), user, CreditType.USAGE, -credits,
                Optional.of(metric.value()), Optional.empty(), Optional.empty(), at, true);
        CreditAppend appended = ledger.append(entry);
        if (!(appended instanceof CreditAppend.Appended done)) {
            throw new IllegalStateException("a held balance did not cover " + credits + " credits: " + appended);
        }
        expired(done.expired());
        balanceLow(done.transaction(), alerts);
        return done.transaction();
    }

    /**
     * Gives back what the record stored under {@code key} spent and has not had refunded (R92), to
     * the grants it drew from (R35; to a lapsed one it lapses at once, R36); nothing for a record
     * that spent nothing.
     */
    public Optional<CreditTransaction> refundOf(UserId user, IdempotencyKey key, String reason, Instant at) {
        Optional<CreditTransaction> spend = ledger.find(user, spendIdOf(user, key));
        if (spend.isEmpty()) {
            return Optional.empty();
        }
        String usageId = spend.get().id();
        long left = spend.get().spent() - ledger.refunded(usageId);
        if (left <= 0 || !ledger.addRefunded(usageId, left)) {
            return Optional.empty();
        }
        CreditEntry refund = new CreditEntry(newId(), user, CreditType.REFUND, left, spend.get().operation(),
                Optional.of(usageId), Optional.of(reason), at, false);
        CreditAppend appended = ledger.append(refund);
        if (appended instanceof CreditAppend.OutOfRange) {
            throw DomainException.unprocessable("balance_out_of_range",
                    "a balance stays within " + CreditLedger.MAX_BALANCE + " credits either way");
        }
        CreditAppend.Appended done = (CreditAppend.Appended) appended;
        expired(done.expired());
        return Optional.of(done.transaction());
    }

    /** One {@code credits.expired} event per grant written off (R36, R75), whoever wrote it off. */
    void expired(List<CreditTransaction> expiries) {
        for (CreditTransaction expiry : expiries) {
            Draw lapsed = expiry.drawnFrom().get(0);
            events.recordOnce(Event.expiredKey(lapsed.grantId()), fresh -> Event.creditsExpired(fresh.id(), fresh.at(),
                    expiry.user(), lapsed.grantId(), lapsed.credits(), expiry.createdAt(), expiry.id()));
        }
    }

    /** An entry taking the balance from above the plan's low mark to at or below it is an event (R75). */
    void balanceLow(CreditTransaction written, PlanAlerts alerts) {
        long after = written.balanceAfter();
        if (alerts.balanceFellLow(after - written.amount(), after)) {
            events.recordOnce(Event.balanceLowKey(written.id()), fresh -> Event.balanceLow(fresh.id(), fresh.at(),
                    written.user(), after, alerts.lowBalanceCredits().orElseThrow(), written.id()));
        }
    }

    static String newId() {
        return "txn_" + UUID.randomUUID().toString().replace("-", "");
    }
}
