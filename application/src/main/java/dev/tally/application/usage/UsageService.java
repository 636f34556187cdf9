package dev.tally.application.usage;

import dev.tally.application.port.UseCaseMetrics;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.Transactions;
import dev.tally.application.port.UserRepository;
import dev.tally.application.user.Accounts;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.usage.Granularity;
import dev.tally.domain.usage.LateEventPolicy;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageSeries;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records usage a client reports and shows a period's usage. Both go through {@link Metering},
 * as does every other use case that counts something (sessions, codes, API calls), so shown and
 * enforced usage come from the same ledger rollups, for the same period (R10).
 */
public class UsageService {

    private final Metering metering;
    private final Accounts accounts;
    private final Transactions transactions;
    private final LateEventPolicy lateEvents;
    private final Clock clock;
    private final UseCaseMetrics metrics;

    @Inject
    public UsageService(Metering metering, Accounts accounts, Transactions transactions, LateEventPolicy lateEvents,
                        Clock clock, UseCaseMetrics metrics) {
        this.metrics = metrics;
        this.metering = metering;
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
        return metrics.measure("usage.record", () -> recording(command));
    }

    private Outcome<UsageRecorded> recording(RecordUsage command) {
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
        // The user as this node last read it names the periods whose rows the decision will lock
        // before it runs; the decision itself reads the user and plan again in its transaction, where
        // a change committed before it began is seen (R14). Decisions grouped into one commit share
        // that read's check, one primary-key read, on SQL storage.
        User named = accounts.withPlanAsKept(command.user()).user();
        List<PeriodRecord> filing = filed(named, records, items);
        // The hot path of every integration: decisions made at the same time may share a commit.
        return transactions.inGroupedAppend(named.id(), filing, () -> {
            UserRepository.WithPlan read = accounts.withPlan(command.user());
            User user = read.user();
            List<PeriodRecord> filed = user.equals(named) ? filing : filed(user, records, items);
            return metering.append(user, read.plan().orElseThrow(), filed, command.enforce(), now);
        });
    }

    private static List<PeriodRecord> filed(User user, List<UsageRecord> records, List<UsageItem> items) {
        List<PeriodRecord> filed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            UsageRecord record = records.get(i);
            filed.add(new PeriodRecord(record, user.periodAt(record.occurredAt()), items.get(i).fingerprint()));
        }
        return filed;
    }

    /** The usage of the period containing {@code at} (default now): every metric of the plan plus every used one. */
    public UsageReport usage(UserId id, Optional<Instant> at) {
        UserRepository.WithPlan read = accounts.withPlan(id);
        User user = read.user();
        Plan plan = read.plan().orElseThrow();
        BillingPeriod period = user.periodAt(at.orElseGet(clock::instant));
        return new UsageReport(user.id(), plan.id(), period, metering.metrics(user, plan, period));
    }

    /**
     * The usage of {@code metric} over the period containing {@code at} (default now), per day or
     * hour of the user's time zone, up to now (R52). It reads that period's facts only; its last
     * running total is the metric's {@code used} in {@link #usage}.
     */
    public UsageSeries series(UserId id, MetricKey metric, Granularity granularity, Optional<Instant> at) {
        User user = accounts.user(id);
        Instant now = clock.instant();
        BillingPeriod period = user.periodAt(at.orElse(now));
        ZoneId zone = user.billing().latest().zone();
        Duration slice = UsageSeries.sliceFor(UsageSeries.bucketStarts(period, zone, granularity));
        return UsageSeries.of(metric, period, zone, granularity, now,
                metering.usageBySlice(id, metric, period, slice));
    }
}
