package dev.tally.application.port.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.Tally;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.user.PutUser;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Values and helpers the port contracts share. */
public final class Fixtures {

    public static final BillingPeriod FEBRUARY = period("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z");
    public static final BillingPeriod MARCH = period("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
    public static final BillingPeriod APRIL = period("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
    public static final MetricKey GPU_HOURS = new MetricKey("gpu_hours");

    private Fixtures() {
    }

    public static BillingPeriod period(String start, String end) {
        return new BillingPeriod(Instant.parse(start), Instant.parse(end));
    }

    /** A user no other test uses, so contracts may share one database. */
    public static UserId newUser() {
        return new UserId("u-" + UUID.randomUUID());
    }

    public static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    /** A new user on a new plan named {@code name} with {@code limits}, put through {@code tally}. */
    public static UserId subscriber(Tally tally, String name, PlanLimits limits) {
        PlanId plan = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(plan, name, limits));
        UserId user = newUser();
        tally.users().put(PutUser.of(user, plan));
        return user;
    }

    /** A record of {@code quantity} of {@code metric} at {@code day} days into {@code period}. */
    public static PeriodRecord usage(UserId user, MetricKey metric, String quantity, String key, BillingPeriod period,
                                     int day) {
        Instant at = period.start().plusSeconds(86_400L * day + 3_600);
        return new PeriodRecord(new UsageRecord(user, metric, new BigDecimal(quantity), at, new IdempotencyKey(key),
                Map.of("provider", "openai")), period);
    }

    /** Asserts two values are equal, comparing decimals by value ({@code 5} equals {@code 5.000000}). */
    public static <T> void assertSameValue(T actual, T expected) {
        assertThat(actual).usingRecursiveComparison()
                .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                .isEqualTo(expected);
    }

    /**
     * Runs {@code tasks} copies of {@code task} on {@code threads} threads released together, and
     * returns their results in task order.
     */
    public static <T> List<T> concurrently(int threads, int tasks, TaskFactory<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                Callable<T> work = task.task(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(2, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The i-th task of a concurrent run. */
    @FunctionalInterface
    public interface TaskFactory<T> {
        Callable<T> task(int index);
    }
}
