package dev.tally.adapter.jdbc;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.PeriodRecord;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The process {@link DurabilityTest} kills: records usage one acknowledged write at a time and
 * prints {@code ack <n>} after each commit returns, until it is killed.
 */
public final class DurabilityChild {

    static final UserId USER = new UserId("durable");
    static final BillingPeriod PERIOD = new BillingPeriod(Instant.parse("2026-03-01T00:00:00Z"),
            Instant.parse("2026-04-01T00:00:00Z"));

    private DurabilityChild() {
    }

    static PeriodRecord record(long n) {
        return new PeriodRecord(new UsageRecord(USER, MetricKey.RUNS, BigDecimal.ONE, PERIOD.start().plusSeconds(n),
                new IdempotencyKey("ack-" + n), Map.of()), PERIOD);
    }

    public static void main(String[] args) {
        JdbcStorage storage = JdbcStorage.open(args[0], 2);
        for (long n = 0; ; n++) {
            AppendResult result = storage.ports().usage().append(USER, List.of(record(n)), Map.of());
            if (!(result instanceof AppendResult.Appended appended) || appended.accepted() != 1) {
                throw new IllegalStateException("unexpected " + result);
            }
            System.out.println("ack " + n);
            System.out.flush();
        }
    }
}
