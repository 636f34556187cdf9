package dev.tally.application.bench;

import dev.tally.application.Tally;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The heap in-memory storage retains per usage fact: records {@code facts} (default 1 000 000)
 * facts over {@code users} (default 1 000) users through the use case, as an HTTP client sends
 * them (a random UUID as idempotency key, a metric parsed anew per record, half of them with one
 * dimension), and prints the heap retained after a full collection and the time taken. Not a
 * test: run its {@code main} with the test class path (see docs/embedding.md).
 */
public final class FactHeap {

    private FactHeap() {
    }

    public static void main(String[] args) {
        int facts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int batch = 100;
        Tally tally = Tally.inMemory(Clock.systemUTC());
        PlanId pro = new PlanId("pro");
        tally.plans().put(Plan.of(pro, "Pro", new PlanLimits(Map.of(new MetricKey("tokens"), Limit.unlimited()))));
        for (int u = 0; u < users; u++) {
            tally.users().put(PutUser.of(new UserId("user-" + u), pro));
        }
        String[] models = {"gpt-4o", "claude-sonnet", "llama-3"};
        long before = retained();
        long start = System.nanoTime();
        int done = 0;
        while (done < facts) {
            for (int u = 0; u < users && done < facts; u++) {
                List<UsageItem> items = new ArrayList<>(batch);
                for (int i = 0; i < batch && done < facts; i++, done++) {
                    Map<String, String> dimensions = done % 2 == 0 ? Map.of()
                            : Map.of("model", models[done % models.length]);
                    items.add(new UsageItem(new MetricKey(new String("tokens")), BigDecimal.valueOf(1 + done % 500),
                            Optional.empty(), new IdempotencyKey(UUID.randomUUID().toString()), dimensions));
                }
                tally.usage().record(new RecordUsage(new UserId("user-" + u), items, false));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long after = retained();
        double mb = (after - before) / 1_000_000.0;
        System.out.printf("facts=%d users=%d time=%d ms retained=%.1f MB (%.0f bytes/fact, %.0f MB per million)%n",
                facts, users, millis, mb, (after - before) / (double) facts, mb * 1_000_000.0 / facts);
        // Keeps the storage reachable until it was measured.
        System.out.println(tally.storage().getClass().getSimpleName());
    }

    private static long retained() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
