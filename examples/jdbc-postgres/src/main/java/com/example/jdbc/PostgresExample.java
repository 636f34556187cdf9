package com.example.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.Tally;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Tally in a service that has its own PostgreSQL pool: Tally gets the pool, keeps to its schema
 * and leaves the pool open. Arguments: the JDBC URL and Tally's schema.
 */
public final class PostgresExample {

    public static void main(String[] args) {
        MetricKey exports = new MetricKey("exports");
        try (HikariDataSource pool = new HikariDataSource()) { // the service's own pool
            pool.setJdbcUrl(args[0]);

            try (JdbcStorage storage = JdbcStorage.over(pool).schema(args[1]).open()) {
                Tally tally = Tally.create(storage.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
                tally.plans().put(Plan.of(new PlanId("team"), "Team", new PlanLimits(Map.of(exports, Limit.of(10)))));
                UserId user = new UserId("acme-" + UUID.randomUUID()); // a fresh user on every run
                tally.users().put(PutUser.of(user, new PlanId("team")));

                Outcome<?> first = tally.usage().record(new RecordUsage(user,
                        List.of(UsageItem.of(exports, 8, "export-1")), true));
                Outcome<?> second = tally.usage().record(new RecordUsage(user,
                        List.of(UsageItem.of(exports, 8, "export-2")), true));
                System.out.println("8 exports: " + first);
                System.out.println("8 more:    " + second);
                System.out.println("used:      " + tally.usage().usage(user, Optional.empty()).metric(exports)
                        .orElseThrow().used());
                if (!(first instanceof Outcome.Done<?>) || !(second instanceof Outcome.Refused<?>)) {
                    throw new IllegalStateException("expected 8 of 10 to be recorded and 8 more refused");
                }
            }
            if (pool.isClosed()) {
                throw new IllegalStateException("Tally closed the service's pool");
            }
        }
    }
}
