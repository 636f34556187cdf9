package dev.tally.domain.bench;

import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.CreditUsageReport;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitDecision;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH micro-benchmarks of the domain's work on every request: the billing period of an instant,
 * the limit decision, and the credit ledger fold. Not a test: run with
 * {@code mvn -pl domain -Pbench verify -DskipTests} (see docs/benchmarks.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class DomainBenchmarks {

    /** A period's instant this far into a schedule's life: a cycle computed from a distant anchor costs more. */
    @Param({"30", "3650"})
    public int daysSinceAnchor;

    /** Entries in the credit ledger folded into a period's report. */
    @Param({"1000"})
    public int ledgerEntries;

    private Instant now;
    private User calendarMonthUser;
    private BillingSchedule anniversaryInZone;
    private BillingSchedule reanchored;
    private Plan plan;
    private MetricKey metric;
    private BillingPeriod period;
    private List<CreditTransaction> ledger;

    @Setup
    public void setUp() {
        now = Instant.parse("2026-11-27T11:00:00Z");
        Instant anchor = now.minus(Duration.ofDays(daysSinceAnchor));
        calendarMonthUser = new User(new UserId("bench"), new PlanId("pro"),
                BillingSchedule.of(BillingCycle.calendarMonth(anchor)), anchor);
        anniversaryInZone = BillingSchedule.of(BillingCycle.anniversary(anchor, ZoneId.of("America/New_York")));
        reanchored = anniversaryInZone.reanchoredAt(anchor.plus(Duration.ofDays(daysSinceAnchor / 2)))
                .reanchoredAt(anchor.plus(Duration.ofDays(daysSinceAnchor * 3L / 4)));

        Map<MetricKey, Limit> limits = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            limits.put(new MetricKey("metric." + i), Limit.of(1_000_000L));
        }
        metric = new MetricKey("metric.7");
        plan = Plan.of(new PlanId("pro"), "Pro", new PlanLimits(limits));
        period = calendarMonthUser.periodAt(now);

        ledger = new ArrayList<>();
        UserId user = new UserId("bench");
        long balance = 1_000_000;
        Instant at = period.start().minus(Duration.ofDays(10));
        for (int i = 0; i < ledgerEntries; i++) {
            at = at.plusSeconds(3_600);
            String id = "tx-" + i;
            if (i % 10 == 9) {
                balance += 5;
                ledger.add(new CreditTransaction(id, user, CreditType.REFUND, 5, Optional.of("op-" + i % 7),
                        Optional.of("tx-" + (i - 1)), Optional.empty(), at, balance));
            } else {
                balance -= 10;
                ledger.add(new CreditTransaction(id, user, CreditType.USAGE, -10, Optional.of("op-" + i % 7),
                        Optional.empty(), Optional.empty(), at, balance));
            }
        }
    }

    @Benchmark
    public BillingPeriod userPeriodAtCalendarMonth() {
        return calendarMonthUser.periodAt(now);
    }

    @Benchmark
    public BillingPeriod periodAtAnniversaryInZone() {
        return anniversaryInZone.periodAt(now);
    }

    @Benchmark
    public BillingPeriod periodAtReanchoredTwice() {
        return reanchored.periodAt(now);
    }

    @Benchmark
    public LimitDecision decideAllowed() {
        return plan.decide(metric, BigDecimal.valueOf(500_000), BigDecimal.valueOf(1_000), BigDecimal.ONE, period);
    }

    @Benchmark
    public LimitDecision decideExceeded() {
        return plan.decide(metric, BigDecimal.valueOf(999_999), BigDecimal.ZERO, BigDecimal.TEN, period);
    }

    @Benchmark
    public CreditUsageReport creditLedgerFold() {
        return CreditUsageReport.fromLedger(period, ledger);
    }
}
