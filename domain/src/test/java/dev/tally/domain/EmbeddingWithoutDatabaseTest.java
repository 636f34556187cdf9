package dev.tally.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.CreditUsageReport;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitDecision;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a service embedding only the domain jar gets: limits checked and a billing summary
 * computed with no database and no framework on the class path (this module has none).
 */
class EmbeddingWithoutDatabaseTest {

    @Test
    void a_plan_rule_is_unit_tested_with_nothing_but_the_domain() {
        assertThat(getClass().getClassLoader().getResource("org/h2/Driver.class")).isNull();
        assertThat(getClass().getClassLoader().getResource("io/javalin/Javalin.class")).isNull();

        Plan pro = Plan.of(new PlanId("pro"), "Pro", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(50))));
        BillingSchedule billing = BillingSchedule.of(BillingCycle.calendarMonth(Instant.parse("2026-01-01T00:00:00Z")));
        BillingPeriod november = billing.periodAt(Instant.parse("2026-11-22T12:00:00Z"));

        LimitDecision fiftyFirst = pro.decide(MetricKey.RUNS, BigDecimal.valueOf(50), BigDecimal.ZERO, BigDecimal.ONE,
                november);
        MetricUsage shown = pro.usageOf(MetricKey.RUNS, BigDecimal.valueOf(5), BigDecimal.ZERO);

        assertThat(fiftyFirst).isInstanceOfSatisfying(LimitExceeded.class, denial -> {
            assertThat(denial.code()).isEqualTo("runs_limit_exceeded");
            assertThat(denial.resetsAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        });
        assertThat(shown.percent()).contains(new BigDecimal("10.0"));

        UserId acme = new UserId("acme");
        Instant at = Instant.parse("2026-11-05T00:00:00Z");
        List<CreditTransaction> ledger = List.of(
                new CreditTransaction("p", acme, CreditType.PURCHASE, 20, Optional.empty(), Optional.empty(),
                        Optional.empty(), at, 20),
                new CreditTransaction("u", acme, CreditType.USAGE, -7, Optional.of("upload"), Optional.empty(),
                        Optional.empty(), at, 13),
                new CreditTransaction("r", acme, CreditType.REFUND, 5, Optional.of("upload"), Optional.of("u"),
                        Optional.empty(), at, 18));
        assertThat(CreditUsageReport.fromLedger(november, ledger).total().net()).isEqualTo(2);
    }
}
