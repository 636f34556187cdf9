package dev.tally.application.credit;

import dev.tally.application.event.EventRecorder;
import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.UserRepository;
import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditEntry;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.application.port.Transactions;
import dev.tally.application.port.UseCaseMetrics;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.usecase.Paging;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanAlerts;
import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.credit.CreditLedger;
import dev.tally.domain.credit.GrantTerms;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.CreditUsageReport;
import dev.tally.domain.credit.InsufficientCredits;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The credit ledger (R30–R34): purchases, grants, spends, refunds and adjustments, the balance,
 * and net usage per operation. A spend never takes the balance below zero, however many arrive
 * at once (R31); a refund is attributed to the period of the usage it refunds (R33).
 */
public class CreditService {

    private final CreditTransactionRepository ledger;
    private final Accounts accounts;
    private final IdempotentWrites writes;
    private final Clock clock;
    private final UseCaseMetrics metrics;
    private final EventRecorder events;
    private final Transactions transactions;

    private final Credits steps;

    @Inject
    public CreditService(CreditTransactionRepository ledger, Accounts accounts, IdempotentWrites writes, Clock clock,
                         UseCaseMetrics metrics, EventRecorder events, Transactions transactions) {
        this.transactions = transactions;
        this.metrics = metrics;
        this.events = events;
        this.ledger = ledger;
        this.accounts = accounts;
        this.writes = writes;
        this.clock = clock;
        this.steps = new Credits(ledger, events, transactions);
    }

    /** Writes one ledger entry; a spend beyond the balance is refused with {@link InsufficientCredits}. */
    public Outcome<CreditTransaction> write(CreditWrite command) {
        return metrics.measure("credits.write", () -> writing(command));
    }

    private Outcome<CreditTransaction> writing(CreditWrite command) {
        return writes.execute(command.user(), Optional.of(command.idempotencyKey()), command.fingerprint(), () -> {
            UserRepository.WithPlan account = accounts.withPlan(command.user());
            periodCredits(account, clock.instant());
            CreditEntry entry = entryFor(command, clock.instant());
            if (command.kind() == CreditWrite.Kind.REFUND) {
                String usageId = entry.refundOf().orElseThrow();
                if (!ledger.addRefunded(usageId, command.amount())) {
                    throw DomainException.unprocessable("refund_exceeds_usage",
                            "usage " + usageId + " cannot be refunded by " + command.amount() + " more credits");
                }
            }
            CreditAppend appended = ledger.append(entry);
            if (appended instanceof CreditAppend.Insufficient insufficient) {
                return Outcome.refused(new InsufficientCredits(insufficient.balance(), command.amount()));
            }
            if (appended instanceof CreditAppend.OutOfRange) {
                throw DomainException.unprocessable("balance_out_of_range",
                        "a balance stays within " + CreditLedger.MAX_BALANCE + " credits either way");
            }
            CreditTransaction written = ((CreditAppend.Appended) appended).transaction();
            steps.expired(((CreditAppend.Appended) appended).expired());
            steps.balanceLow(written, account.plan().map(Plan::alerts).orElse(PlanAlerts.DEFAULT));
            return Outcome.done(written);
        }, CreditTransaction::id, id -> ledger.find(command.user(), id).orElseThrow());
    }

    /**
     * Grants the plan's credits of each period up to now that has none yet (R37): lazily, by the
     * first read or write of a period, exactly once per (user, period) whatever races it.
     */
    private void periodCredits(UserRepository.WithPlan account, Instant now) {
        steps.catchUp(account.user(), account.plan(), now);
    }

    /** Writes off what lapsed by now (R36), once, whichever request gets there first. */
    private void expireNow(UserId user) {
        Instant now = clock.instant();
        transactions.run(() -> steps.expired(ledger.expire(user, now)));
    }

    private CreditEntry entryFor(CreditWrite command, Instant now) {
        String id = Credits.newId();
        UserId user = command.user();
        return switch (command.kind()) {
            case PURCHASE -> new CreditEntry(id, user, CreditType.PURCHASE, command.amount(), Optional.empty(),
                    Optional.empty(), Optional.empty(), now, false,
                    GrantTerms.requested(command.priority(), command.expiresAt(), now), Optional.empty());
            case GRANT -> new CreditEntry(id, user, CreditType.GRANT, command.amount(), Optional.empty(),
                    Optional.empty(), Optional.empty(), now, false,
                    GrantTerms.requested(command.priority(), command.expiresAt(), now), Optional.empty());
            case USAGE -> new CreditEntry(id, user, CreditType.USAGE, -command.amount(), command.operation(),
                    Optional.empty(), Optional.empty(), now, true);
            case ADJUSTMENT -> new CreditEntry(id, user, CreditType.ADJUSTMENT, command.amount(), Optional.empty(),
                    Optional.empty(), command.reason().filter(r -> !r.isBlank()).or(() -> {
                        throw DomainException.invalid("reason_required", "an adjustment states its reason");
                    }), now, false);
            case REFUND -> {
                String usageId = command.usageTransactionId().orElseThrow();
                CreditTransaction usage = ledger.find(user, usageId).orElseThrow(() ->
                        DomainException.notFound("credit_transaction_not_found",
                                "no credit transaction " + usageId + " for user " + user));
                CreditLedger.checkRefund(user, usage, ledger.refunded(usageId), command.amount());
                yield new CreditEntry(id, user, CreditType.REFUND, command.amount(), usage.operation(),
                        Optional.of(usageId), Optional.empty(), now, false);
            }
        };
    }

    /**
     * The user's balance now: the sum of all its entries (R31), less what lapsed (R36), which this
     * read writes off if no request has yet.
     */
    public long balance(UserId user) {
        periodCredits(accounts.withPlan(user), clock.instant());
        expireNow(user);
        return ledger.balance(user, clock.instant());
    }

    /**
     * The user's grants with what remains of each, newest first (R35): the page, and one more
     * when more follow.
     */
    public List<CreditGrant> grants(UserId user, Paging paging) {
        periodCredits(accounts.withPlan(user), clock.instant());
        expireNow(user);
        return ledger.grants(user, paging.limit() + 1, paging.offset());
    }

    /**
     * The user's grants live now in spending order, at most {@code limit} (R35, R36), after this
     * period's plan credits are granted and what lapsed is written off, as every read of credits does.
     */
    public List<CreditGrant> liveGrants(UserId user, int limit) {
        periodCredits(accounts.withPlan(user), clock.instant());
        expireNow(user);
        return ledger.liveGrants(user, clock.instant(), limit);
    }

    /** Gross, refunded and net credits per operation for the selected period (R33). */
    public CreditUsageReport usageByOperation(UserId id, PeriodSelector selector) {
        User user = accounts.user(id);
        return usageByOperation(user, period(user, selector));
    }

    /** Gross, refunded and net credits per operation for {@code period} (R33). */
    public CreditUsageReport usageByOperation(User user, BillingPeriod period) {
        return CreditUsageReport.of(period, ledger.usageByOperation(user.id(), period));
    }

    /** The user's ledger, newest first. */
    public CreditPage transactions(UserId user, Paging paging) {
        periodCredits(accounts.withPlan(user), clock.instant());
        expireNow(user);
        return new CreditPage(ledger.page(user, paging.limit(), paging.offset()), paging.limit(), paging.offset(),
                ledger.count(user));
    }

    private BillingPeriod period(User user, PeriodSelector selector) {
        Instant now = clock.instant();
        if (selector.previous()) {
            BillingPeriod current = user.periodAt(now);
            return user.periodAt(current.start().minusNanos(1));
        }
        return user.periodAt(selector.at().orElse(now));
    }
}
