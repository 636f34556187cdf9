package dev.tally.application.usage;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.Denied;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.Transactions;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.usage.LateEventPolicy;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Records usage and reports it. Shown and enforced usage come from the same ledger rollups, for
 * the same period, through this one class (R10); every other use case that counts something
 * (sessions, codes, API calls) records it through {@link #recordFor}.
 */
public class UsageService {

    private final UsageLedger ledger;
    private final Accounts accounts;
    private final Transactions transactions;
    private final LateEventPolicy lateEvents;
    private final Clock clock;

    @Inject
    public UsageService(UsageLedger ledger, Accounts accounts, Transactions transactions, LateEventPolicy lateEvents,
                        Clock clock) {
        this.ledger = ledger;
        this.accounts = accounts;
        this.transactions = transactions;
        this.lateEvents = lateEvents;
        this.clock = clock;
    }

    /**
     * Records a batch (R20–R22); with {@code enforce}, as one atomic check-and-record (R13).
     * Records already counted under the same key and payload are answered as duplicates.
     */
    public Outcome<UsageRecorded> record(RecordUsage command) {
        Instant now = clock.instant();
        List<UsageItem> items = command.items();
        List<UsageRecord> records = items.stream()
                .map(item -> {
                    Instant occurredAt = item.occurredAt().orElse(now);
                    lateEvents.check(occurredAt, now);
                    return new UsageRecord(command.user(), item.metric(), item.quantity(), occurredAt,
                            item.idempotencyKey(), item.dimensions());
                })
                .toList();
        return transactions.inTransaction(() -> {
            User user = accounts.user(command.user());
            List<PeriodRecord> filed = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                UsageRecord record = records.get(i);
                filed.add(new PeriodRecord(record, user.periodAt(record.occurredAt()), items.get(i).fingerprint()));
            }
            return append(user, accounts.planOf(user), filed, command.enforce());
        });
    }

    /**
     * Appends records the server built itself (for a session, a code, an API call) for a user
     * already loaded in the caller's transaction; with {@code enforce}, every metric's limit is
     * checked in the same atomic write.
     */
    public Outcome<UsageRecorded> recordFor(User user, Plan plan, List<UsageRecord> records, boolean enforce) {
        return append(user, plan, records.stream()
                .map(record -> new PeriodRecord(record, user.periodAt(record.occurredAt())))
                .toList(), enforce);
    }

    private Outcome<UsageRecorded> append(User user, Plan plan, List<PeriodRecord> filed, boolean enforce) {
        Map<MetricKey, Limit> limits = new HashMap<>();
        if (enforce) {
            for (PeriodRecord entry : filed) {
                Limit limit = plan.limitOf(entry.record().metric());
                if (!limit.isUnlimited()) {
                    limits.put(entry.record().metric(), limit);
                }
            }
        }
        AppendResult result = ledger.append(user.id(), filed, limits);
        if (result instanceof AppendResult.Appended appended) {
            return Outcome.done(new UsageRecorded(appended.accepted(), appended.duplicates()));
        }
        if (result instanceof AppendResult.KeyReused reused) {
            throw DomainException.unprocessable("idempotency_key_reused",
                    "idempotency key " + reused.key() + " was already used with a different record");
        }
        return Outcome.refused(exceeded((Denied) result, plan));
    }

    /** The denial a client sees for a refused check-and-record (R12). */
    public static LimitExceeded exceeded(Denied denied, Plan plan) {
        return new LimitExceeded(denied.metric(), denied.current().used(), denied.current().reserved(), denied.limit(),
                denied.requested(), plan.id(), denied.period().resetsAt());
    }

    /** The usage of the period containing {@code at} (default now): every metric of the plan plus every used one. */
    public UsageReport usage(UserId id, Optional<Instant> at) {
        User user = accounts.user(id);
        Plan plan = accounts.planOf(user);
        BillingPeriod period = user.periodAt(at.orElseGet(clock::instant));
        return new UsageReport(user.id(), plan.id(), period, metrics(user, plan, period));
    }

    /** Every metric of the plan and every metric with usage or a reservation in {@code period}, by name. */
    public List<MetricUsage> metrics(User user, Plan plan, BillingPeriod period) {
        Map<MetricKey, UsageTotals> totals = new TreeMap<>(ledger.totals(user.id(), period));
        Set<MetricKey> metrics = new TreeSet<>(plan.limits().byMetric().keySet());
        // An empty rollup (left by a refused write or a released reservation) is not usage.
        totals.forEach((metric, t) -> {
            if (t.used().signum() != 0 || t.reserved().signum() != 0) {
                metrics.add(metric);
            }
        });
        return metrics.stream()
                .map(metric -> {
                    UsageTotals t = totals.getOrDefault(metric, UsageTotals.ZERO);
                    return plan.usageOf(metric, t.used(), t.reserved());
                })
                .toList();
    }

    /** Used and reserved of one metric in {@code period}. */
    public UsageTotals totals(UserId user, MetricKey metric, BillingPeriod period) {
        return ledger.totals(user, metric, period);
    }
}
