package dev.tally.adapter.jdbc.bench;

import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.Tally;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What meters add to one enforced decision (R81–R83), on H2 (a file) and PostgreSQL, single
 * threaded, through the public use case over {@link JdbcStorage}: the latency of enforced single
 * records of a source metric with no meter over it, with one meter of each aggregation (sum,
 * count, max, latest, unique_count), and with the same five grouped by a dimension; then, for a
 * unique_count meter whose period already holds 1 000 000 distinct values, what the set weighs
 * and what a decision bringing a new value or a repeated one costs. Not a test: run with
 * {@code mvn -pl adapters-jdbc -am test-compile exec:java
 * -Dexec.mainClass=dev.tally.adapter.jdbc.bench.MeterCostBenchmark -Dexec.classpathScope=test};
 * options as system properties: {@code databases} ({@code h2,postgres}), {@code records} (default
 * 2 000), {@code distinct} (default 1 000 000, 0 to skip).
 */
public final class MeterCostBenchmark {

    private static final MetricKey EVENTS = new MetricKey("events");
    private static final List<Aggregation> AGGREGATIONS = List.of(Aggregation.SUM, Aggregation.COUNT,
            Aggregation.MAX, Aggregation.LATEST, Aggregation.UNIQUE_COUNT);

    private MeterCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> databases = List.of(System.getProperty("databases", "h2,postgres").split(","));
        int records = Integer.getInteger("records", 2_000);
        int distinct = Integer.getInteger("distinct", 1_000_000);
        System.out.printf("%-10s %-34s %10s %10s %10s %10s%n", "database", "meters on the source", "median_us",
                "p90_us", "p99_us", "mean_us");
        for (String database : databases) {
            for (String meters : List.of("none", "one of each aggregation", "five, grouped by model")) {
                decisions(database.trim(), meters, records);
            }
            if (distinct > 0) {
                distinctSet(database.trim(), distinct, records);
            }
        }
    }

    private static void decisions(String database, String meters, int records) throws Exception {
        Optional<BenchDatabase> created = BenchDatabase.create(database);
        if (created.isEmpty()) {
            return;
        }
        try (BenchDatabase db = created.get(); JdbcStorage storage = JdbcStorage.open(db.url(), 4)) {
            Tally tally = setUp(storage, meters.equals("none") ? 0 : AGGREGATIONS.size(),
                    meters.startsWith("five, grouped"));
            long[] nanos = record(tally, "d", records, i -> "u" + (i % 50));
            print(database, meters, nanos);
        }
    }

    private static void distinctSet(String database, int distinct, int records) throws Exception {
        Optional<BenchDatabase> created = BenchDatabase.create(database);
        if (created.isEmpty()) {
            return;
        }
        try (BenchDatabase db = created.get(); JdbcStorage storage = JdbcStorage.open(db.url(), 4)) {
            Tally tally = setUp(storage, 0, false);
            tally.meters().put(Meter.define(new MetricKey("active_users"), EVENTS, Aggregation.UNIQUE_COUNT,
                    Optional.of("end_user"), Map.of(), List.of(), Optional.empty()));
            record(tally, "first", 1, i -> "seed");
            long started = System.nanoTime();
            storage.jdbi().useHandle(handle -> {
                String series = db.postgres() ? "generate_series(1, " + distinct + ")" : "SYSTEM_RANGE(1, " + distinct
                        + ")";
                String n = db.postgres() ? "generate_series" : "\"X\"";
                handle.execute("INSERT INTO meter_distinct (user_id, meter, period_start, period_end, group_key,"
                        + " distinct_value) SELECT user_id, meter, period_start, period_end, group_key, 'v' || " + n
                        + " FROM meter_distinct, " + series + " WHERE distinct_value = 'seed'");
                if (db.postgres()) {
                    handle.execute("ANALYZE meter_distinct");
                }
            });
            String size = db.postgres()
                    ? storage.jdbi().withHandle(handle -> handle.createQuery("SELECT pg_size_pretty("
                            + "pg_total_relation_size('meter_distinct'))").mapTo(String.class).one())
                    : "n/a";
            System.out.printf("%-10s unique_count with %,d distinct values in the period: %s on disk (table and"
                    + " index), loaded in %.1f s%n", database, distinct, size, (System.nanoTime() - started) / 1e9);
            print(database, String.format("%,d distinct, a new value", distinct),
                    record(tally, "new", records, i -> "new-" + i));
            print(database, String.format("%,d distinct, a repeat", distinct),
                    record(tally, "old", records, i -> "v" + (1 + i * 331 % distinct)));
        }
    }

    private static Tally setUp(JdbcStorage storage, int meters, boolean grouped) {
        Tally tally = Tally.create(storage.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
        Map<MetricKey, Limit> limits = new HashMap<>(Map.of(EVENTS, Limit.of(1_000_000_000L)));
        for (int m = 0; m < meters; m++) {
            Aggregation aggregation = AGGREGATIONS.get(m);
            MetricKey key = new MetricKey("m_" + aggregation.wire());
            tally.meters().put(Meter.define(key, EVENTS, aggregation,
                    aggregation == Aggregation.UNIQUE_COUNT ? Optional.of("end_user") : Optional.empty(), Map.of(),
                    grouped ? List.of("model") : List.of(), Optional.empty()));
            limits.put(key, Limit.of(1_000_000_000L));
        }
        PlanId plan = new PlanId("bench");
        tally.plans().put(Plan.of(plan, "Bench", new PlanLimits(limits)));
        tally.users().put(PutUser.of(new UserId("bench"), plan));
        return tally;
    }

    /** The latency of {@code records} enforced single records after 200 of warm-up. */
    private static long[] record(Tally tally, String prefix, int records,
                                 java.util.function.IntFunction<String> endUser) {
        long[] nanos = new long[records];
        for (int i = -200; i < records; i++) {
            int n = Math.max(i, 0);
            UsageItem item = new UsageItem(EVENTS, BigDecimal.valueOf(1 + (n % 7)), Optional.empty(),
                    new IdempotencyKey(prefix + "-" + i), Map.of("end_user", i < 0 ? "warm" : endUser.apply(n),
                    "model", "m" + (n % 5)));
            long started = System.nanoTime();
            Outcome<?> outcome = tally.usage().record(new RecordUsage(new UserId("bench"), List.of(item), true));
            long took = System.nanoTime() - started;
            if (!(outcome instanceof Outcome.Done<?>)) {
                throw new IllegalStateException("refused: " + outcome);
            }
            if (i >= 0) {
                nanos[i] = took;
            }
        }
        return nanos;
    }

    private static void print(String database, String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        System.out.printf("%-10s %-34s %10d %10d %10d %10d%n", database, what, sorted[n / 2] / 1000,
                sorted[n * 9 / 10] / 1000, sorted[n * 99 / 100] / 1000, Arrays.stream(sorted).sum() / n / 1000);
    }
}
