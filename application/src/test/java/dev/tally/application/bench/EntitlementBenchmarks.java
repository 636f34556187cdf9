package dev.tally.application.bench;

import dev.tally.application.Tally;
import dev.tally.application.entitlement.CheckEntitlement;
import dev.tally.application.reservation.HoldReservation;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.user.PutUser;
import dev.tally.domain.entitlement.Entitlement;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH micro-benchmarks of an in-process entitlement check (R70) on in-memory storage, as an
 * embedder calls it before each piece of work: allowed, refused (building its denial), with a
 * hold outstanding (so expired holds are looked for, R71), and all of a user's entitlements. The
 * user has 1 000 earlier usage records and there are 10 000 other users. Not a test: run with
 * {@code mvn -pl application -am -Pbench -DskipTests verify} (see docs/benchmarks.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class EntitlementBenchmarks {

    private static final MetricKey EXPORTS = new MetricKey("exports");
    private static final MetricKey TOKENS = new MetricKey("tokens");

    private Tally tally;
    private UserId acme;
    private CheckEntitlement allowed;
    private CheckEntitlement refused;
    private CheckEntitlement withHold;

    @Setup
    public void setUp() {
        tally = Tally.inMemory(Clock.systemUTC());
        PlanId pro = new PlanId("pro");
        tally.plans().put(Plan.of(pro, "Pro", new PlanLimits(Map.of(EXPORTS, Limit.of(1_000_000),
                TOKENS, Limit.of(1_000_000), MetricKey.RUNS, Limit.of(50), MetricKey.SESSIONS, Limit.of(100),
                MetricKey.COST_USD, Limit.of(25))))
                .withAllocations(new PlanLimits(Map.of(new MetricKey("seats"), Limit.of(10)))));
        for (int i = 0; i < 10_000; i++) {
            tally.users().put(PutUser.of(new UserId("user-" + i), pro));
        }
        acme = new UserId("acme");
        tally.users().put(PutUser.of(acme, pro));
        List<UsageItem> items = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            items.add(new UsageItem(EXPORTS, BigDecimal.ONE, Optional.empty(), new IdempotencyKey("e-" + i), Map.of()));
        }
        tally.usage().record(new RecordUsage(acme, items, false));
        tally.reservations().hold(new HoldReservation(acme, TOKENS, BigDecimal.valueOf(5_000), OptionalLong.empty(),
                Optional.empty())).orElseThrow();
        allowed = new CheckEntitlement(acme, EXPORTS, BigDecimal.TEN);
        refused = new CheckEntitlement(acme, EXPORTS, BigDecimal.valueOf(999_001));
        withHold = new CheckEntitlement(acme, TOKENS, BigDecimal.TEN);
    }

    @Benchmark
    public Entitlement checkAllowed() {
        return tally.entitlements().check(allowed);
    }

    @Benchmark
    public Entitlement checkRefused() {
        return tally.entitlements().check(refused);
    }

    @Benchmark
    public Entitlement checkWithAHoldOutstanding() {
        return tally.entitlements().check(withHold);
    }

    @Benchmark
    public Object checkAll() {
        return tally.entitlements().all(acme);
    }
}
