package dev.tally.adapter.jdbc;

import dev.tally.application.Tally;
import dev.tally.application.user.PutUser;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Enforced single-record decisions per second in process, through {@code UsageService} over
 * {@link JdbcStorage} on PostgreSQL: {@code threads} callers (default 16), each recording for a user
 * of its own, warmed for {@code warm} seconds and measured for {@code seconds}, once per mode of
 * {@code modes} (default {@code off,1,2,4}: decisions in transactions of their own, then grouped in
 * that many lanes). Each mode runs in a fresh schema of {@code TALLY_TEST_POSTGRES_URL}. Run with
 * {@code mvn -pl adapters-jdbc test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.tally.adapter.jdbc.GroupedDecisionBenchmark}.
 */
public final class GroupedDecisionBenchmark {

    private static final MetricKey METRIC = new MetricKey("requests");

    private GroupedDecisionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String server = System.getenv("TALLY_TEST_POSTGRES_URL");
        if (server == null || server.isBlank()) {
            System.out.println("skipped: TALLY_TEST_POSTGRES_URL is not set");
            return;
        }
        int threads = Integer.getInteger("threads", 16);
        int warm = Integer.getInteger("warm", 20);
        int seconds = Integer.getInteger("seconds", 20);
        int pool = Integer.getInteger("pool", 10);
        System.out.printf("%-6s %8s %12s %10s %12s%n", "mode", "threads", "decisions/s", "mean_group", "in_java_%");
        for (String mode : System.getProperty("modes", "off,1,2,4").split(",")) {
            run(server, mode.trim(), threads, pool, warm, seconds);
        }
    }

    private static void run(String server, String mode, int threads, int pool, int warm, int seconds)
            throws Exception {
        String schema = "tally_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(server, "CREATE SCHEMA " + schema);
        try (JdbcStorage storage = JdbcStorage.open(server + (server.contains("?") ? "&" : "?") + "currentSchema="
                + schema, pool)) {
            JdbiTransactions transactions = (JdbiTransactions) storage.ports().transactions();
            transactions.grouping(!mode.equals("off"));
            if (!mode.equals("off")) {
                transactions.lanes(Integer.parseInt(mode));
            }
            Tally tally = Tally.create(storage.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
            PlanId plan = new PlanId("bench");
            tally.plans().put(Plan.of(plan, "Bench", new PlanLimits(Map.of(METRIC, Limit.of(1_000_000_000L)))));
            List<UserId> users = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                UserId user = new UserId("bench-" + i);
                tally.users().put(PutUser.of(user, plan));
                users.add(user);
            }
            LongAdder decisions = new LongAdder();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                UserId user = users.get(t);
                Thread caller = new Thread(() -> {
                    long n = 0;
                    while (!stop.get()) {
                        tally.usage().record(new RecordUsage(user, List.of(new UsageItem(METRIC, BigDecimal.ONE,
                                Optional.empty(), new IdempotencyKey(user.value() + "-" + n++), Map.of())), true))
                                .orElseThrow();
                        decisions.increment();
                    }
                });
                caller.start();
                callers.add(caller);
            }
            Thread.sleep(warm * 1000L);
            long decisionsBefore = decisions.sum();
            long groupsBefore = transactions.groupCommits();
            long piecesBefore = transactions.groupedPieces();
            long javaBefore = transactions.groupedDecisions();
            long started = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long done = decisions.sum() - decisionsBefore;
            double elapsed = (System.nanoTime() - started) / 1e9;
            long groups = transactions.groupCommits() - groupsBefore;
            long pieces = transactions.groupedPieces() - piecesBefore;
            long inJava = transactions.groupedDecisions() - javaBefore;
            stop.set(true);
            for (Thread caller : callers) {
                caller.join();
            }
            System.out.printf("%-6s %8d %12.0f %10.2f %12.1f%n", mode, threads, done / elapsed,
                    groups == 0 ? 0.0 : (double) pieces / groups, done == 0 ? 0.0 : 100.0 * inJava / done);
        } finally {
            execute(server, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void execute(String server, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(server);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
