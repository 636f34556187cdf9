package dev.tally.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.billing.ListUsers;
import dev.tally.application.billing.UserList;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.user.PutUser;
import dev.tally.domain.DomainException;
import dev.tally.domain.period.CycleKind;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricStatus;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.Granularity;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageSeries;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Usage over time (R52) and the operator's list (R53), over in-memory storage. */
class UsageOverTimeTest {

    private static final PlanId PRO = new PlanId("pro");
    private static final PlanId FREE = new PlanId("free");
    private static final MetricKey EXPORTS = new MetricKey("exports");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-10T09:00:00Z"));
    private Tally tally;
    private int keys;

    @BeforeEach
    void setUp() {
        tally = Tally.inMemory(clock);
        tally.plans().put(Plan.of(PRO, "Pro", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(50), EXPORTS,
                Limit.of(100)))));
        tally.plans().put(Plan.of(FREE, "Free", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(5)))));
    }

    private void user(String id, PlanId plan, String zone) {
        tally.users().put(new PutUser(new UserId(id), plan, Optional.of(CycleKind.CALENDAR_MONTH), Optional.empty(),
                Optional.of(ZoneId.of(zone))));
    }

    private void use(String user, MetricKey metric, long quantity, String at) {
        tally.usage().record(new RecordUsage(new UserId(user), List.of(new UsageItem(metric,
                BigDecimal.valueOf(quantity), Optional.of(Instant.parse(at)), new IdempotencyKey("k" + keys++),
                Map.of())), false)).orElseThrow();
    }

    @Test
    void R52_daily_series_in_the_users_zone_ends_at_the_used_figure_with_empty_days_included() {
        user("acme", PRO, "America/New_York");
        use("acme", EXPORTS, 4, "2026-11-01T03:30:00Z");  // Oct 31 in New York: the previous period
        use("acme", EXPORTS, 3, "2026-11-01T05:30:00Z");  // Nov 1, 00:30 in New York
        use("acme", EXPORTS, 2, "2026-11-02T04:59:00Z");  // still Nov 1 in New York (EST from 06:00Z)
        use("acme", EXPORTS, 5, "2026-11-09T12:00:00Z");

        UsageSeries series = tally.usage().series(new UserId("acme"), EXPORTS, Granularity.DAY, Optional.empty());

        assertThat(series.period().start()).isEqualTo(Instant.parse("2026-11-01T04:00:00Z"));
        assertThat(series.zone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(series.points()).hasSize(10);  // Nov 1 .. Nov 10, today included
        assertThat(series.points().get(0).quantity()).isEqualByComparingTo("5");
        assertThat(series.points().get(1).start()).isEqualTo(Instant.parse("2026-11-02T05:00:00Z"));
        assertThat(series.points().get(1).quantity()).isZero();
        BigDecimal used = tally.usage().usage(new UserId("acme"), Optional.empty()).metric(EXPORTS).orElseThrow().used();
        assertThat(series.points().get(9).cumulative()).isEqualByComparingTo(used).isEqualByComparingTo("10");
    }

    @Test
    void R52_at_picks_a_past_period_shown_whole_and_hourly_buckets_count_the_same() {
        user("acme", PRO, "UTC");
        use("acme", EXPORTS, 4, "2026-10-31T23:10:00Z");
        use("acme", EXPORTS, 1, "2026-10-31T23:50:00Z");

        UsageSeries october = tally.usage().series(new UserId("acme"), EXPORTS, Granularity.HOUR,
                Optional.of(Instant.parse("2026-10-15T00:00:00Z")));

        assertThat(october.points()).hasSize(31 * 24);
        assertThat(october.points().get(october.points().size() - 1).quantity()).isEqualByComparingTo("5");
        assertThat(october.points().get(october.points().size() - 1).cumulative()).isEqualByComparingTo("5");
    }

    @Test
    void R53_users_worst_first_filtered_by_status_and_paged_by_cursor() {
        user("acme", PRO, "UTC");     // runs 10 of 50 (20 %), exports 85 of 100 (85 %, warning)
        user("globex", FREE, "UTC");  // runs 5 of 5 (exceeded)
        user("initech", FREE, "UTC"); // nothing used
        user("umbrella", PRO, "UTC"); // exports 90 of 100, but last month
        use("acme", MetricKey.RUNS, 10, "2026-11-02T00:00:00Z");
        use("acme", EXPORTS, 85, "2026-11-03T00:00:00Z");
        use("globex", MetricKey.RUNS, 5, "2026-11-04T00:00:00Z");
        use("umbrella", EXPORTS, 90, "2026-10-20T00:00:00Z");

        UserList all = tally.userList().list(ListUsers.all());

        assertThat(all.users()).extracting(s -> s.user().value())
                .containsExactly("globex", "acme", "initech", "umbrella");
        assertThat(all.users().get(0).worst()).hasValueSatisfying(worst -> {
            assertThat(worst.metric()).isEqualTo(MetricKey.RUNS);
            assertThat(worst.status()).isEqualTo(MetricStatus.EXCEEDED);
            assertThat(worst.percent()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("100"));
        });
        assertThat(all.users().get(1).worst()).hasValueSatisfying(worst -> {
            assertThat(worst.metric()).isEqualTo(EXPORTS);
            assertThat(worst.status()).isEqualTo(MetricStatus.WARNING);
        });
        assertThat(all.users().get(3).worst().orElseThrow().used()).isZero();
        assertThat(all.nextCursor()).isEmpty();

        assertThat(tally.userList().list(new ListUsers(Set.of(MetricStatus.WARNING), 10, Optional.empty())).users())
                .extracting(s -> s.user().value()).containsExactly("acme");

        List<String> paged = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            UserList page = tally.userList().list(new ListUsers(Set.of(), 1, cursor));
            page.users().forEach(s -> paged.add(s.user().value()));
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        assertThat(paged).containsExactly("globex", "acme", "initech", "umbrella");
    }

    @Test
    void R53_R15_a_limit_of_zero_is_the_worst_metric_even_at_zero_percent() {
        tally.plans().put(Plan.of(new PlanId("frozen"), "Frozen", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(50),
                EXPORTS, Limit.of(0)))));
        user("acme", PRO, "UTC");
        user("initech", new PlanId("frozen"), "UTC");
        use("acme", MetricKey.RUNS, 45, "2026-11-02T00:00:00Z");
        use("initech", MetricKey.RUNS, 10, "2026-11-02T00:00:00Z");

        UserList exceeded = tally.userList().list(new ListUsers(Set.of(MetricStatus.EXCEEDED), 10, Optional.empty()));

        assertThat(exceeded.users()).singleElement().satisfies(standing -> {
            assertThat(standing.user().value()).isEqualTo("initech");
            assertThat(standing.worst().orElseThrow().metric()).isEqualTo(EXPORTS);
            assertThat(standing.worst().orElseThrow().percent()).hasValueSatisfying(p -> assertThat(p).isZero());
        });
        assertThat(tally.userList().list(ListUsers.all()).users()).extracting(s -> s.user().value())
                .containsExactly("initech", "acme");
    }

    @Test
    void R53_a_cursor_this_list_did_not_give_is_refused() {
        assertThatThrownBy(() -> tally.userList().list(new ListUsers(Set.of(), 10, Optional.of("bm9wZQ"))))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("invalid_cursor"));
        assertThatThrownBy(() -> new ListUsers(Set.of(), 101, Optional.empty()))
                .isInstanceOf(DomainException.class);
    }
}
