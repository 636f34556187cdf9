package dev.tally.application.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.port.ReserveResult;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** R13 under contention: the in-memory check-and-record never grants past the limit. */
class InMemoryConcurrencyTest {

    private static final UserId USER = new UserId("acme");
    private static final Instant AT = Instant.parse("2026-11-10T00:00:00Z");
    private static final BillingPeriod PERIOD =
            new BillingPeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final int THREADS = 64;

    private static <T> List<T> race(int threads, int perThread, Callable<T> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<T>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<T> results = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        results.add(attempt.call());
                    }
                    return results;
                }));
            }
            start.countDown();
            List<T> all = new ArrayList<>();
            for (Future<List<T>> future : futures) {
                all.addAll(future.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void R13_64_threads_racing_at_limit_L_grant_exactly_L() throws Exception {
        InMemoryUsageLedger ledger = new InMemoryUsageLedger();
        int limit = 1000;
        java.util.concurrent.atomic.AtomicInteger keys = new java.util.concurrent.atomic.AtomicInteger();

        List<AppendResult> results = race(THREADS, 40, () -> ledger.append(USER, List.of(new PeriodRecord(
                new UsageRecord(USER, MetricKey.RUNS, BigDecimal.ONE, AT,
                        new IdempotencyKey("k" + keys.incrementAndGet()), Map.of()), PERIOD)),
                Map.of(MetricKey.RUNS, Limit.of(limit))));

        long granted = results.stream().filter(AppendResult.Appended.class::isInstance).count();
        assertThat(results).hasSize(THREADS * 40);
        assertThat(granted).isEqualTo(limit);
        assertThat(ledger.totals(USER, MetricKey.RUNS, PERIOD).used()).isEqualByComparingTo(BigDecimal.valueOf(limit));
        assertThat(ledger.reconcile(false, ReconcileProgress.NONE).drifts()).isEmpty();
    }

    @Test
    void R26_64_threads_reserving_runs_never_exceed_the_run_limit() throws Exception {
        InMemoryUsageLedger ledger = new InMemoryUsageLedger();
        java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();

        List<ReserveResult> results = race(THREADS, 5, () -> ledger.hold(USER, "run-" + ids.incrementAndGet(),
                MetricKey.RUNS, BigDecimal.ONE, AT, PERIOD.end(), PERIOD, Limit.of(50)));

        assertThat(results.stream().filter(ReserveResult.Reserved.class::isInstance).count()).isEqualTo(50);
        assertThat(ledger.totals(USER, MetricKey.RUNS, PERIOD).reserved()).isEqualByComparingTo("50");
    }

    @Test
    void R20_concurrent_retries_of_one_record_count_once() throws Exception {
        InMemoryUsageLedger ledger = new InMemoryUsageLedger();
        PeriodRecord same = new PeriodRecord(new UsageRecord(USER, MetricKey.RUNS, BigDecimal.ONE, AT,
                new IdempotencyKey("retry-me"), Map.of()), PERIOD);

        List<AppendResult> results = race(THREADS, 3, () -> ledger.append(USER, List.of(same), Map.of()));

        assertThat(results).containsOnly(new AppendResult.Appended(1, 0), new AppendResult.Appended(0, 1));
        assertThat(results).containsOnlyOnce(new AppendResult.Appended(1, 0));
        assertThat(ledger.totals(USER, MetricKey.RUNS, PERIOD).used()).isEqualByComparingTo("1");
    }
}
