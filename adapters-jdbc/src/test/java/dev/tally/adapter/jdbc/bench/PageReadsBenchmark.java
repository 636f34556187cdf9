package dev.tally.adapter.jdbc.bench;

import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.billing.ListUsers;
import dev.tally.application.billing.UserList;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricStatus;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.Granularity;
import dev.tally.domain.usage.UsageSeries;
import dev.tally.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the dashboard's two new reads cost over 10^6 usage facts (R52, R53), on H2 (file) and
 * PostgreSQL, through the use cases:
 *
 * <ul>
 *   <li>{@code series}: one user's daily series of {@code runs} for the current period. The user
 *       has {@code facts} facts, {@code current} of them in the current period (default 20 000)
 *       and the rest spread over 120 past periods.</li>
 *   <li>{@code list}: the operator's list, first page of {@code warning,exceeded}, over
 *       {@code users} users (default 10 000) with five rollups each in the current period and
 *       twelve past periods of rollups that must not be read.</li>
 * </ul>
 *
 * <p>It prints each query's plan, so the indexes of migration V7 can be seen in use. Run with
 * {@code mvn -pl adapters-jdbc -am -Pbench -DskipTests verify -Dexec.mainClass=dev.tally.adapter.jdbc.bench.PageReadsBenchmark}
 * (see docs/benchmarks.md); options as system properties: {@code facts}, {@code current},
 * {@code users}, {@code databases}, {@code reads}.
 */
public final class PageReadsBenchmark {

    private static final UserId USER = new UserId("bench-user");
    private static final PlanId PLAN = new PlanId("bench");
    private static final List<String> METRICS = List.of("runs", "sessions", "session_minutes", "api_calls.llm",
            "cost_usd");
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final BillingPeriod CURRENT = new BillingPeriod(Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2026-12-01T00:00:00Z"));
    private static final long PERIOD_NANOS = Duration.ofDays(30).toNanos();
    private static final long HISTORY_START = Instant.parse("2016-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    private PageReadsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long facts = Long.getLong("facts", 1_000_000);
        long current = Long.getLong("current", 20_000);
        int users = Integer.getInteger("users", 10_000);
        int reads = Integer.getInteger("reads", 200);
        List<String> databases = List.of(System.getProperty("databases", "h2,postgres").split(","));
        System.out.printf("%-10s %-7s %10s %10s %10s %10s%n", "database", "read", "median_ms", "p90_ms", "p99_ms",
                "mean_ms");
        for (String database : databases) {
            run(database.trim(), facts, current, users, reads);
        }
    }

    private static void run(String database, long facts, long current, int users, int reads) throws Exception {
        Optional<BenchDatabase> created = BenchDatabase.create(database);
        if (created.isEmpty()) {
            return;
        }
        try (BenchDatabase db = created.get(); JdbcStorage storage = JdbcStorage.open(db.url(), 4)) {
            boolean postgres = db.postgres();
            Tally tally = Tally.create(storage.ports(), new ManualClock(NOW), Tally.Settings.DEFAULTS);
            tally.plans().put(Plan.of(PLAN, "Bench", new PlanLimits(Map.of(
                    MetricKey.RUNS, Limit.of(50), new MetricKey("sessions"), Limit.of(50)))));
            populate(storage, postgres, facts, current, users);
            printPlans(storage);

            Supplier<Object> series = () -> {
                UsageSeries s = tally.usage().series(USER, MetricKey.RUNS, Granularity.DAY, Optional.empty());
                if (s.points().get(s.points().size() - 1).cumulative().longValueExact() != current) {
                    throw new IllegalStateException("series does not end at the period's usage");
                }
                return s;
            };
            Supplier<Object> list = () -> {
                UserList page = tally.userList().list(new ListUsers(Set.of(MetricStatus.WARNING,
                        MetricStatus.EXCEEDED), 50, Optional.empty()));
                if (page.users().size() != 50) {
                    throw new IllegalStateException("expected a full page: " + page.users().size());
                }
                return page;
            };
            report(database, "series", series, reads);
            report(database, "list", list, reads);
        }
    }

    private static void report(String database, String read, Supplier<Object> work, int reads) {
        for (int i = 0; i < Math.max(5, reads / 4); i++) {
            work.get();
        }
        long[] nanos = new long[reads];
        for (int i = 0; i < reads; i++) {
            long t0 = System.nanoTime();
            work.get();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf("%-10s %-7s %10.2f %10.2f %10.2f %10.2f%n", database, read, nanos[reads / 2] / 1e6,
                nanos[(int) (reads * 0.9)] / 1e6, nanos[(int) (reads * 0.99)] / 1e6,
                Arrays.stream(nanos).average().orElse(0) / 1e6);
    }

    /**
     * The bench user with {@code facts} facts ({@code current} of them this period, one metric),
     * {@code users} other users on the plan with five rollups this period and twelve past periods.
     */
    private static void populate(JdbcStorage storage, boolean postgres, long facts, long current, int users) {
        String series = postgres ? "generate_series(:from, :to) AS s(n)" : "SYSTEM_RANGE(:from, :to) s";
        String n = postgres ? "s.n" : "s.\"X\"";
        long start = nanos(CURRENT.start());
        long end = nanos(CURRENT.end());
        long elapsed = nanos(NOW) - start;
        String history = "(" + HISTORY_START + " + MOD(" + n + ", 120) * " + PERIOD_NANOS + ")";
        // Past facts: 120 fake 30-day periods from 2016; current ones spread evenly up to now.
        String insertFacts = "INSERT INTO usage_facts (user_id, metric, quantity, occurred_at, idempotency_key, "
                + "fingerprint, dimensions, period_start, period_end) SELECT 'bench-user', 'runs', 1, "
                + "CASE WHEN " + n + " <= :current THEN " + start + " + " + n + " * " + (elapsed / Math.max(1, current))
                + " ELSE " + history + " + " + n + " END, CONCAT('k-', CAST(" + n + " AS VARCHAR(12))), 'bench', '{}', "
                + "CASE WHEN " + n + " <= :current THEN " + start + " ELSE " + history + " END, "
                + "CASE WHEN " + n + " <= :current THEN " + end + " ELSE " + history + " + " + PERIOD_NANOS + " END "
                + "FROM " + series;
        long chunk = postgres ? 1_000_000 : 100_000;
        for (long from = 1; from <= facts; from += chunk) {
            long first = from;
            long last = Math.min(facts, from + chunk - 1);
            storage.jdbi().useTransaction(handle -> handle.createUpdate(insertFacts).bind("from", first)
                    .bind("to", last).bind("current", current).execute());
        }
        storage.jdbi().useTransaction(handle -> {
            handle.execute("INSERT INTO usage_rollups (user_id, period_start, period_end, metric, used, reserved) "
                    + "SELECT user_id, period_start, period_end, metric, SUM(quantity), 0 FROM usage_facts "
                    + "GROUP BY user_id, period_start, period_end, metric");
            handle.createUpdate("INSERT INTO users (id, plan_id, created_at) SELECT CONCAT('user-', CAST(" + n
                    + " AS VARCHAR(12))), 'bench', " + HISTORY_START + " FROM " + series)
                    .bind("from", 0).bind("to", users).execute();
            handle.execute("UPDATE users SET id = 'bench-user' WHERE id = 'user-0'");
            handle.execute("INSERT INTO user_billing_cycles (user_id, seq, kind, anchor_at, time_zone) "
                    + "SELECT id, 0, 'calendar_month', " + HISTORY_START + ", 'UTC' FROM users");
            // Five rollups per user and month, this month and the twelve before (used 0-59 of 50).
            String metric = "CASE MOD(" + n + ", 5) " + arms() + " END";
            for (int month = 0; month <= 12; month++) {
                Instant monthStart = CURRENT.start().atZone(java.time.ZoneOffset.UTC).minusMonths(month).toInstant();
                Instant monthEnd = CURRENT.start().atZone(java.time.ZoneOffset.UTC).minusMonths(month - 1).toInstant();
                handle.createUpdate("INSERT INTO usage_rollups (user_id, period_start, period_end, metric, used, "
                        + "reserved) SELECT CONCAT('user-', CAST(" + n + " / 5 + 1 AS VARCHAR(12))), "
                        + nanos(monthStart) + ", " + nanos(monthEnd) + ", " + metric + ", MOD(" + n + " * 7, 60), 0 "
                        + "FROM " + series).bind("from", 0).bind("to", users * 5L - 1).execute();
            }
            handle.execute(postgres ? "ANALYZE" : "ANALYZE");
        });
    }

    private static void printPlans(JdbcStorage storage) {
        String seriesSql = "EXPLAIN SELECT occurred_at / 3600000000000 AS slice, quantity FROM usage_facts "
                + "WHERE user_id = 'bench-user' AND metric = 'runs' AND period_start = " + nanos(CURRENT.start())
                + " AND period_end = " + nanos(CURRENT.end());
        String listSql = "EXPLAIN SELECT user_id, metric, period_start, period_end, used, reserved FROM usage_rollups "
                + "WHERE period_end > " + nanos(NOW) + " AND period_start <= " + nanos(NOW)
                + " AND (used <> 0 OR reserved <> 0)";
        for (String sql : List.of(seriesSql, listSql)) {
            List<String> plan = storage.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
            System.out.println("  plan: " + String.join(" | ", plan).replaceAll("\\s+", " "));
        }
    }

    private static String arms() {
        StringBuilder arms = new StringBuilder();
        for (int i = 0; i < METRICS.size(); i++) {
            arms.append("WHEN ").append(i).append(" THEN '").append(METRICS.get(i)).append("' ");
        }
        return arms.toString();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
