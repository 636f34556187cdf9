package dev.tally.adapter.jdbc.bench;

import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.port.TallyStorage;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.rate.RateDecision;
import dev.tally.domain.user.UserId;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Tally's rate cells (R90) beside Bucket4j on the same storage: in memory (Tally's in-memory cells
 * against Bucket4j's local bucket) and on one PostgreSQL (Tally's one conditional {@code UPDATE}
 * against Bucket4j's {@code SELECT … FOR UPDATE} proxy manager, 8.14.0). For each: decisions per
 * second from {@code threads} threads on one key each and on one shared key, each decision its own
 * transaction, after an unrecorded phase of the same length; and exactness: {@code threads} threads hammering one key at {@code limit} per
 * {@code per} seconds for {@code exactSeconds}, then the most admissions in any window of
 * {@code per} seconds. Tally's are counted at the instants it decided at; Bucket4j's at the instant
 * just before each call (it decides on its own clock inside the call). Bucket4j is configured as
 * its documentation writes "limit per period": capacity {@code limit}, greedy refill of
 * {@code limit} per period. Run with {@code mvn -pl adapters-jdbc -am test-compile exec:java
 * -Dexec.mainClass=dev.tally.adapter.jdbc.bench.RateLimitComparison -Dexec.classpathScope=test};
 * options as system properties {@code threads} (16), {@code seconds} (4), {@code limit} (100),
 * {@code per} (2), {@code exactSeconds} (7); PostgreSQL from {@code TALLY_TEST_POSTGRES_URL}.
 */
public final class RateLimitComparison {

    private static final MetricKey CALLS = new MetricKey("calls");
    private static final int THREADS = Integer.getInteger("threads", 16);
    private static final int SECONDS = Integer.getInteger("seconds", 4);
    private static final int LIMIT = Integer.getInteger("limit", 100);
    private static final int PER = Integer.getInteger("per", 2);
    private static final int EXACT_SECONDS = Integer.getInteger("exactSeconds", 7);
    /** A rate no phase of the throughput runs reaches: every decision is an admission. */
    private static final MetricRate OPEN = new MetricRate(1_000_000_000L, 1, 1_000_000_000L);

    private RateLimitComparison() {
    }

    /** One decision on key {@code key} at the instant given; true when admitted. */
    interface Decider {
        boolean decide(int key, Instant now);
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("threads %d, %d s per throughput phase; exactness: %d per %d s, %d s of %d threads on one key%n",
                THREADS, SECONDS, LIMIT, PER, EXACT_SECONDS, THREADS);
        TallyStorage memory = InMemoryStorage.create();
        report("memory", "Tally (in-memory cells)", tally(memory, OPEN), tally(memory, MetricRate.of(LIMIT, PER)));
        report("memory", "Bucket4j (local bucket)", bucket4jLocal(OPEN), bucket4jLocal(MetricRate.of(LIMIT, PER)));
        try (BenchDatabase database = BenchDatabase.create("postgres").orElse(null)) {
            if (database == null) {
                return;
            }
            try (JdbcStorage storage = JdbcStorage.open(database.url(), THREADS + 2)) {
                report("PostgreSQL", "Tally (one conditional UPDATE)", tally(storage.ports(), OPEN),
                        tally(storage.ports(), MetricRate.of(LIMIT, PER)));
                try (Connection connection = storage.dataSource().getConnection();
                     Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE bucket (id BIGINT PRIMARY KEY, state BYTEA)");
                }
                ProxyManager<Long> buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(storage.dataSource())
                        .build();
                report("PostgreSQL", "Bucket4j 8.14.0 (SELECT FOR UPDATE)", bucket4j(buckets, OPEN, 0),
                        bucket4j(buckets, MetricRate.of(LIMIT, PER), 1_000_000));
            }
        }
    }

    private static Function<Integer, Decider> tally(TallyStorage storage, MetricRate rate) {
        String run = Long.toString(System.nanoTime(), 36);
        return phase -> (key, now) -> storage.transactions().inTransaction(() -> storage.rates().take(
                new UserId("bench-" + run + "-" + phase + "-" + key), CALLS, rate, BigDecimal.ONE, now))
                instanceof RateDecision.Admitted;
    }

    private static Function<Integer, Decider> bucket4jLocal(MetricRate rate) {
        return phase -> {
            List<Bucket> buckets = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                buckets.add(Bucket.builder().addLimit(bandwidth(rate)).build());
            }
            return (key, now) -> buckets.get(key).tryConsume(1);
        };
    }

    private static Function<Integer, Decider> bucket4j(ProxyManager<Long> buckets, MetricRate rate, long offset) {
        BucketConfiguration configuration = BucketConfiguration.builder().addLimit(bandwidth(rate)).build();
        return phase -> (key, now) -> buckets.builder().build(offset + phase * 10_000L + key, () -> configuration)
                .tryConsume(1);
    }

    private static Bandwidth bandwidth(MetricRate rate) {
        return Bandwidth.builder().capacity(rate.limit()).refillGreedy(rate.limit(),
                Duration.ofSeconds(rate.perSeconds())).build();
    }

    private static void report(String storage, String name, Function<Integer, Decider> open,
                               Function<Integer, Decider> limited) throws Exception {
        // Unrecorded: the JIT, the pool and the first rows, which a short phase would otherwise measure.
        throughput(open.apply(0), false);
        long perKey = throughput(open.apply(1), false);
        long shared = throughput(open.apply(2), true);
        List<Instant> admitted = hammer(limited.apply(3));
        System.out.printf("%-10s | %-36s | %,9d decisions/s (a key per thread) | %,9d decisions/s (one shared key)"
                + " | %d per %d s: at most %d admitted in any %d s window (%d admitted in %d s)%n", storage, name,
                perKey / SECONDS, shared / SECONDS, LIMIT, PER, fullest(admitted), PER, admitted.size(), EXACT_SECONDS);
    }

    private static long throughput(Decider decider, boolean shared) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        AtomicLong decisions = new AtomicLong();
        run(thread -> {
            while (System.nanoTime() < end) {
                decider.decide(shared ? 0 : thread, Instant.now());
                decisions.incrementAndGet();
            }
            return null;
        });
        return decisions.get();
    }

    private static List<Instant> hammer(Decider decider) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(EXACT_SECONDS).toNanos();
        List<Instant> admitted = Collections.synchronizedList(new ArrayList<>());
        run(thread -> {
            while (System.nanoTime() < end) {
                Instant now = Instant.now();
                if (decider.decide(0, now)) {
                    admitted.add(now);
                }
            }
            return null;
        });
        List<Instant> sorted = new ArrayList<>(admitted);
        Collections.sort(sorted);
        return sorted;
    }

    private static void run(Function<Integer, Void> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                running.add(pool.submit(() -> work.apply(thread)));
            }
            for (Future<Void> future : running) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The most instants in any window [t, t + per): the fullest one starts at an instant. */
    private static int fullest(List<Instant> sorted) {
        int most = 0;
        int last = 0;
        for (int first = 0; first < sorted.size(); first++) {
            Instant end = sorted.get(first).plusSeconds(PER);
            while (last < sorted.size() && sorted.get(last).isBefore(end)) {
                last++;
            }
            most = Math.max(most, last - first);
        }
        return most;
    }
}
