package dev.tally.application.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.Tally;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reconcile through the use cases over in-memory storage. It lives beside the in-memory ledger
 * because drifting a rollup on purpose is package-private there: production code carries no test hook.
 */
class InMemoryReconcileTest {

    private static final UserId ACME = new UserId("acme");

    private final Tally tally = Tally.inMemory(Clock.fixed(Instant.parse("2026-11-10T09:00:00Z"), ZoneOffset.UTC));

    private BigDecimal used(String metric) {
        return tally.usage().usage(ACME, Optional.empty()).metric(new MetricKey(metric)).orElseThrow().used();
    }

    @Test
    void R10_reconcile_finds_and_repairs_a_drifted_rollup() {
        tally.plans().put(Plan.of(new PlanId("free"), "Free", new PlanLimits(Map.of())));
        tally.users().put(PutUser.of(ACME, new PlanId("free")));
        tally.usage().record(new RecordUsage(ACME, List.of(new UsageItem(new MetricKey("exports"),
                BigDecimal.valueOf(3), Optional.empty(), new IdempotencyKey("a"), Map.of())), false));
        var ledger = (InMemoryUsageLedger) tally.storage().usage();
        var period = tally.usage().usage(ACME, Optional.empty()).period();
        ledger.corruptRollup(ACME, new MetricKey("exports"), period, BigDecimal.valueOf(99));

        var report = ledger.reconcile(true, ReconcileProgress.NONE);

        assertThat(report.drifts()).hasSize(1);
        assertThat(report.drifts().get(0).storedUsed()).isEqualByComparingTo("99");
        assertThat(report.drifts().get(0).factUsed()).isEqualByComparingTo("3");
        assertThat(used("exports")).isEqualByComparingTo("3");
        assertThat(ledger.reconcile(false, ReconcileProgress.NONE).drifts()).isEmpty();
    }
}
