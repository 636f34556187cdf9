package dev.tally.adapter.jdbc.bench;

import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.port.PeriodRecord;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * How much reading one user's current usage costs as history grows: {@code totals()} latency
 * for a user with 10^4 and with 10^7 historical usage records, on H2 (file) and PostgreSQL.
 *
 * <p>History is written in bulk with {@code INSERT ... SELECT} over a number series (H2's
 * {@code SYSTEM_RANGE}, PostgreSQL's {@code generate_series}): one user, five metrics, spread
 * over 120 past 30-day periods, plus the rollups those facts imply. The current period then gets
 * a few records through the ledger itself, and 20 000 other users have rollups in it too. Run with
 * {@code mvn -pl adapters-jdbc -am test-compile exec:java} (see docs/benchmarks.md); options as
 * system properties: {@code sizes} (default {@code 10000,10000000}), {@code databases}
 * ({@code h2,postgres}; PostgreSQL from {@code TALLY_TEST_POSTGRES_URL}), {@code reads}.
 */
public final class TotalsBenchmark {

    private static final UserId USER = new UserId("bench-user");
    private static final List<String> METRICS = List.of("runs", "sessions", "session_minutes", "api_calls.llm",
            "cost_usd");
    private static final int PAST_PERIODS = 120;
    private static final long PERIOD_NANOS = Duration.ofDays(30).toNanos();
    private static final Instant HISTORY_START = Instant.parse("2016-01-01T00:00:00Z");
    /** Rows per transaction: H2 slows down sharply on very large transactions. */
    private static final long H2_CHUNK = 100_000;
    private static final long POSTGRES_CHUNK = 1_000_000;
    /** Other users, one rollup per metric each, so the rollup table is not trivially small. */
    private static final int OTHER_USERS = 20_000;

    private TotalsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> sizes = Arrays.stream(System.getProperty("sizes", "10000,10000000").split(","))
                .map(String::trim).map(Long::parseLong).toList();
        List<String> databases = List.of(System.getProperty("databases", "h2,postgres").split(","));
        int reads = Integer.getInteger("reads", 20_000);
        System.out.printf("%-10s %12s %10s %10s %10s %10s %12s%n", "database", "history", "median_us", "p90_us",
                "p99_us", "mean_us", "populate_s");
        for (String database : databases) {
            for (long size : sizes) {
                run(database.trim(), size, reads);
            }
        }
    }

    private static void run(String database, long size, int reads) throws Exception {
        Optional<BenchDatabase> created = BenchDatabase.create(database);
        if (created.isEmpty()) {
            return;
        }
        try (BenchDatabase db = created.get(); JdbcStorage storage = JdbcStorage.open(db.url(), 4)) {
            boolean postgres = db.postgres();
            long started = System.nanoTime();
            populate(storage, postgres, size);
            double populateSeconds = (System.nanoTime() - started) / 1e9;
            BillingPeriod current = period(PAST_PERIODS);
            List<PeriodRecord> recent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                recent.add(new PeriodRecord(new UsageRecord(USER, new MetricKey(METRICS.get(i % METRICS.size())),
                        BigDecimal.ONE, current.start().plusSeconds(i), new IdempotencyKey("now-" + i), Map.of()),
                        current));
            }
            storage.ports().usage().append(USER, recent, Map.of());
            printPlan(storage, postgres, current);

            for (int i = 0; i < reads / 4; i++) {
                check(storage.ports().usage().totals(USER, current));
            }
            long[] nanos = new long[reads];
            for (int i = 0; i < reads; i++) {
                long t0 = System.nanoTime();
                Map<MetricKey, UsageTotals> totals = storage.ports().usage().totals(USER, current);
                nanos[i] = System.nanoTime() - t0;
                check(totals);
            }
            Arrays.sort(nanos);
            double mean = Arrays.stream(nanos).average().orElse(0) / 1000;
            System.out.printf("%-10s %12d %10.1f %10.1f %10.1f %10.1f %12.1f%n", database, size,
                    nanos[reads / 2] / 1000.0, nanos[(int) (reads * 0.9)] / 1000.0, nanos[(int) (reads * 0.99)] / 1000.0,
                    mean, populateSeconds);
        }
    }

    private static void check(Map<MetricKey, UsageTotals> totals) {
        if (totals.size() != METRICS.size()) {
            throw new IllegalStateException("expected every metric in the current period: " + totals);
        }
    }

    private static BillingPeriod period(long index) {
        Instant start = HISTORY_START.plusNanos(index * PERIOD_NANOS);
        return new BillingPeriod(start, start.plusNanos(PERIOD_NANOS));
    }

    /** Writes {@code size} facts of past periods and their rollups, in chunks of one million. */
    private static void populate(JdbcStorage storage, boolean postgres, long size) {
        long base = HISTORY_START.getEpochSecond() * 1_000_000_000L;
        String series = postgres ? "generate_series(:from, :to) AS s(n)" : "SYSTEM_RANGE(:from, :to) s";
        String n = postgres ? "s.n" : "s.\"X\"";
        String metric = "CASE MOD(" + n + ", 5) " + caseArms() + " END";
        String periodStart = "(" + base + " + MOD(" + n + ", " + PAST_PERIODS + ") * " + PERIOD_NANOS + ")";
        String facts = "INSERT INTO usage_facts (user_id, metric, quantity, occurred_at, idempotency_key, fingerprint, "
                + "dimensions, period_start, period_end) SELECT :user, " + metric + ", 1, " + periodStart + " + "
                + n + ", CONCAT('hist-', LPAD(CAST(" + n + " AS VARCHAR(12)), 12, '0')), 'bench', '{}', " + periodStart + ", " + periodStart + " + "
                + PERIOD_NANOS + " FROM " + series;
        long chunk = postgres ? POSTGRES_CHUNK : H2_CHUNK;
        long started = System.nanoTime();
        for (long from = 1; from <= size; from += chunk) {
            long first = from;
            long last = Math.min(size, from + chunk - 1);
            storage.jdbi().useTransaction(handle -> handle.createUpdate(facts).bind("user", USER.value())
                    .bind("from", first).bind("to", last).execute());
            System.err.printf("  %d facts written in %.0f s%n", last, (System.nanoTime() - started) / 1e9);
        }
        String others = "INSERT INTO usage_rollups (user_id, period_start, period_end, metric, used, reserved) "
                + "SELECT CONCAT('other-', " + n + "), " + base + " + " + PAST_PERIODS + " * " + PERIOD_NANOS + ", "
                + base + " + " + (PAST_PERIODS + 1) + " * " + PERIOD_NANOS + ", " + metric + ", 3, 0 FROM " + series;
        storage.jdbi().useTransaction(handle -> handle.createUpdate(others).bind("from", 1)
                .bind("to", OTHER_USERS * METRICS.size()).execute());
        storage.jdbi().useTransaction(handle -> {
            handle.createUpdate("INSERT INTO usage_rollups (user_id, period_start, period_end, metric, used, reserved) "
                    + "SELECT user_id, period_start, period_end, metric, SUM(quantity), 0 FROM usage_facts "
                    + "WHERE user_id = :user GROUP BY user_id, period_start, period_end, metric")
                    .bind("user", USER.value()).execute();
            analyze(handle, postgres);
        });
    }

    private static String caseArms() {
        StringBuilder arms = new StringBuilder();
        for (int i = 0; i < METRICS.size(); i++) {
            arms.append("WHEN ").append(i).append(" THEN '").append(METRICS.get(i)).append("' ");
        }
        return arms.toString();
    }

    private static void analyze(Handle handle, boolean postgres) {
        handle.execute(postgres ? "ANALYZE usage_rollups" : "ANALYZE");
        if (postgres) {
            handle.execute("ANALYZE usage_facts");
        }
    }

    private static void printPlan(JdbcStorage storage, boolean postgres, BillingPeriod current) {
        long start = current.start().getEpochSecond() * 1_000_000_000L + current.start().getNano();
        long end = current.end().getEpochSecond() * 1_000_000_000L + current.end().getNano();
        String sql = "EXPLAIN SELECT metric, used, reserved FROM usage_rollups WHERE user_id = 'bench-user' "
                + "AND period_start = " + start + " AND period_end = " + end;
        List<String> plan = storage.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
        System.out.println("  plan (" + (postgres ? "postgres" : "h2") + "): " + String.join(" | ", plan)
                .replaceAll("\\s+", " "));
    }
}
