package dev.tally.domain.credit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.period.BillingSchedule;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** R31–R33 as properties over random ledgers spread over several periods. */
class CreditLedgerProperties {

    private static final UserId USER = new UserId("acme");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final BillingSchedule SCHEDULE = BillingSchedule.of(BillingCycle.calendarMonth(START));

    /** One step: a purchase, a spend, or a refund of some earlier spend, at some day. */
    record Step(int kind, long amount, int target, int day) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.longs().between(1, 50),
                        Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 180))
                .as(Step::new).list().ofMaxSize(80);
    }

    private static List<CreditTransaction> play(List<Step> steps) {
        List<CreditTransaction> ledger = new ArrayList<>();
        List<CreditTransaction> spends = new ArrayList<>();
        Map<String, Long> refunded = new HashMap<>();
        long balance = 0;
        int day = 0;
        for (Step step : steps) {
            day = Math.max(day, step.day());
            Instant at = START.plusSeconds(day * 86_400L);
            String id = "t" + ledger.size();
            CreditTransaction entry;
            if (step.kind() == 0) {
                entry = new CreditTransaction(id, USER, CreditType.PURCHASE, step.amount(), Optional.empty(),
                        Optional.empty(), Optional.empty(), at, balance + step.amount());
            } else if (step.kind() == 1) {
                if (balance - step.amount() < 0) {
                    continue; // R31: refused, nothing written
                }
                entry = new CreditTransaction(id, USER, CreditType.USAGE, -step.amount(), Optional.of("op" + step.target() % 3),
                        Optional.empty(), Optional.empty(), at, balance - step.amount());
                spends.add(entry);
            } else {
                if (spends.isEmpty()) {
                    continue;
                }
                CreditTransaction usage = spends.get(step.target() % spends.size());
                long already = refunded.getOrDefault(usage.id(), 0L);
                long amount = Math.min(step.amount(), usage.spent() - already);
                if (amount <= 0) {
                    continue;
                }
                CreditLedger.checkRefund(USER, usage, already, amount);
                refunded.put(usage.id(), already + amount);
                entry = new CreditTransaction(id, USER, CreditType.REFUND, amount, usage.operation(),
                        Optional.of(usage.id()), Optional.empty(), at, balance + amount);
            }
            balance += entry.amount();
            ledger.add(entry);
        }
        return ledger;
    }

    private static Set<BillingPeriod> periods(List<CreditTransaction> ledger) {
        Set<BillingPeriod> periods = new LinkedHashSet<>();
        ledger.forEach(t -> periods.add(SCHEDULE.periodAt(t.createdAt())));
        return periods;
    }

    @Property
    void R31_balance_is_the_sum_of_entries_and_never_negative(@ForAll("histories") List<Step> steps) {
        List<CreditTransaction> ledger = play(steps);
        long running = 0;
        for (CreditTransaction entry : ledger) {
            running += entry.amount();
            assertThat(entry.balanceAfter()).isEqualTo(running).isNotNegative();
        }
        assertThat(CreditLedger.balance(ledger)).isEqualTo(running);
    }

    @Property
    void R33_net_is_never_negative_in_any_period(@ForAll("histories") List<Step> steps) {
        List<CreditTransaction> ledger = play(steps);
        for (BillingPeriod period : periods(ledger)) {
            CreditUsageReport report = CreditUsageReport.fromLedger(period, ledger);
            report.operations().forEach(op -> assertThat(op.net()).isNotNegative());
            assertThat(report.total().net()).isNotNegative();
        }
    }

    @Property
    void R33_net_summed_over_periods_equals_the_balance_change_from_usage_and_refunds(
            @ForAll("histories") List<Step> steps) {
        List<CreditTransaction> ledger = play(steps);
        long netOverPeriods = periods(ledger).stream()
                .mapToLong(period -> CreditUsageReport.fromLedger(period, ledger).total().net())
                .sum();
        long balanceChange = ledger.stream()
                .filter(t -> t.type() == CreditType.USAGE || t.type() == CreditType.REFUND)
                .mapToLong(CreditTransaction::amount)
                .sum();

        assertThat(netOverPeriods).isEqualTo(-balanceChange);
    }
}
