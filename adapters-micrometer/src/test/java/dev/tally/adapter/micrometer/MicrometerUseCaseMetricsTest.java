package dev.tally.adapter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.Tally;
import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An embedder's registry sees Tally's decisions, denials and latency per use case, with no server running. */
class MicrometerUseCaseMetricsTest {

    @Test
    void an_embedders_registry_counts_grants_and_denials_and_times_each_use_case() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Tally tally = Tally.create(InMemoryStorage.create(), Clock.systemUTC(), Tally.Settings.DEFAULTS,
                new MicrometerUseCaseMetrics(registry));
        MetricKey exports = MetricKey.SESSION_MINUTES;
        tally.plans().put(Plan.of(new PlanId("team"), "Team", new PlanLimits(Map.of(exports, Limit.of(10)))));
        UserId acme = new UserId("acme");
        tally.users().put(PutUser.of(acme, new PlanId("team")));

        tally.usage().record(new RecordUsage(acme, List.of(UsageItem.of(exports, 8, "a")), true));
        tally.usage().record(new RecordUsage(acme, List.of(UsageItem.of(exports, 1, "b")), true));
        tally.usage().record(new RecordUsage(acme, List.of(UsageItem.of(exports, 8, "c")), true));

        assertThat(registry.get("tally.use.case").tags("use_case", "usage.record", "outcome", "granted").timer()
                .count()).isEqualTo(2);
        assertThat(registry.get("tally.use.case").tags("use_case", "usage.record", "outcome", "refused").timer()
                .count()).isEqualTo(1);
        assertThat(registry.get("tally.use.case").tags("outcome", "granted").timer().totalTime(TimeUnit.NANOSECONDS))
                .isPositive();
        assertThat(registry.get("tally.use.case.denials")
                .tags("use_case", "usage.record", "refusal", "session_minutes_limit_exceeded").counter().count())
                .isEqualTo(1);
    }

    @Test
    void R68_the_limits_of_metrics_a_client_named_share_one_refusal_tag() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Tally tally = Tally.create(InMemoryStorage.create(), Clock.systemUTC(), Tally.Settings.DEFAULTS,
                new MicrometerUseCaseMetrics(registry));
        Map<MetricKey, Limit> limits = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            limits.put(new MetricKey("named_" + i), Limit.of(0));
        }
        limits.put(MetricKey.apiCalls("search"), Limit.of(0));
        tally.plans().put(Plan.of(new PlanId("team"), "Team", new PlanLimits(limits)));
        UserId acme = new UserId("acme");
        tally.users().put(PutUser.of(acme, new PlanId("team")));

        limits.keySet().forEach(metric -> tally.usage().record(new RecordUsage(acme,
                List.of(UsageItem.of(metric, 1, metric.value())), true)));

        assertThat(registry.find("tally.use.case.denials").counters())
                .extracting(counter -> counter.getId().getTag("refusal"))
                .containsExactlyInAnyOrder("other_limit_exceeded", "api_calls_limit_exceeded");
        assertThat(registry.get("tally.use.case.denials").tags("refusal", "other_limit_exceeded").counter().count())
                .isEqualTo(50);
    }
}
