package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.event.EventPage;
import dev.tally.application.event.ListEvents;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.event.Event;
import dev.tally.domain.event.EventType;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.plan.MetricRates;
import dev.tally.domain.plan.RateLimited;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plans' rate limits (R90, R91) on every storage: an enforced record passes the period limit and
 * the rate in one all-or-nothing step, a refusal has its exact wait and changes nothing, and a
 * record that is not kept (refused by its period limit, or a replay) spends nothing of the rate.
 */
public abstract class RateLimitContract {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:10Z");
    private static final MetricKey CALLS = new MetricKey("calls");

    protected abstract TallyStorage storage();

    private final ManualClock clock = new ManualClock(NOW);
    private Tally tally;
    private UserId user;
    private PlanId plan;

    @BeforeEach
    void setUp() {
        tally = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        plan = new PlanId(newId("plan"));
        user = newUser();
        // Two per minute, both at once after a quiet spell: one every 30 s after that.
        planWith(Limit.of(1_000), new MetricRate(2, 60, 1));
        tally.users().put(PutUser.of(user, plan));
    }

    private void planWith(Limit limit, MetricRate rate) {
        tally.plans().put(Plan.of(plan, "Rated", new PlanLimits(Map.of(CALLS, limit)))
                .withRateLimits(new MetricRates(Map.of(CALLS, rate))));
    }

    private Outcome<?> record(String key, long quantity) {
        return tally.usage().record(new RecordUsage(user, List.of(new UsageItem(CALLS, BigDecimal.valueOf(quantity),
                Optional.empty(), new IdempotencyKey(key), Map.of())), true));
    }

    private Outcome<?> record(long quantity) {
        return record(newId("k"), quantity);
    }

    private BigDecimal used() {
        return tally.entitlements().check(new dev.tally.application.entitlement.CheckEntitlement(user, CALLS,
                BigDecimal.ONE)).usage().used();
    }

    private static RateLimited rateLimited(Outcome<?> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        assertThat(((Outcome.Refused<?>) outcome).refusal()).isInstanceOf(RateLimited.class);
        return (RateLimited) ((Outcome.Refused<?>) outcome).refusal();
    }

    @Test
    void R91_a_record_beyond_the_rate_is_refused_with_its_exact_wait_and_changes_nothing() {
        assertThat(record(1)).isInstanceOf(Outcome.Done.class);
        assertThat(record(1)).isInstanceOf(Outcome.Done.class);

        RateLimited third = rateLimited(record(1));

        assertThat(third.code()).isEqualTo("rate_limited");
        assertThat(third.metric()).isEqualTo(CALLS);
        assertThat(third.refused().rate()).isEqualTo(new MetricRate(2, 60, 1));
        assertThat(third.refused().retryAfterMillis()).contains(30_000L);
        assertThat(used()).isEqualByComparingTo("2");

        clock.advance(Duration.ofSeconds(30).minusNanos(1));
        rateLimited(record(1));
        clock.advance(Duration.ofNanos(1));
        assertThat(record(1)).isInstanceOf(Outcome.Done.class);
        assertThat(used()).isEqualByComparingTo("3");
    }

    @Test
    void R90_a_record_refused_by_its_period_limit_spends_nothing_of_the_rate() {
        planWith(Limit.of(1), new MetricRate(2, 60, 1));
        assertThat(record(1)).isInstanceOf(Outcome.Done.class);

        Outcome<?> overPeriod = record(1);
        assertThat(((Outcome.Refused<?>) overPeriod).refusal()).isInstanceOf(LimitExceeded.class);

        // Had the refused record spent the rate's second cell, this one would be rate limited.
        planWith(Limit.of(10), new MetricRate(2, 60, 1));
        assertThat(record(1)).isInstanceOf(Outcome.Done.class);
        assertThat(used()).isEqualByComparingTo("2");
    }

    @Test
    void R90_a_record_refused_by_its_rate_raises_no_usage_and_a_batch_is_all_or_nothing() {
        RateLimited tooMany = rateLimited(record(3));
        assertThat(tooMany.refused().retryAfterMillis()).isEmpty();
        assertThat(used()).isEqualByComparingTo("0");

        assertThat(record(2)).isInstanceOf(Outcome.Done.class);
        assertThat(used()).isEqualByComparingTo("2");
    }

    @Test
    void R20_a_replayed_record_is_answered_again_and_spends_nothing_of_the_rate() {
        assertThat(record("once", 1)).isInstanceOf(Outcome.Done.class);
        assertThat(record("once", 1)).isInstanceOf(Outcome.Done.class);

        assertThat(record(1)).isInstanceOf(Outcome.Done.class);
        rateLimited(record(1));
        assertThat(used()).isEqualByComparingTo("2");
    }

    @Test
    void R90_a_plan_change_rescales_the_cell_and_never_admits_early() {
        planWith(Limit.of(1_000), MetricRate.of(2, 60));
        assertThat(record(1)).isInstanceOf(Outcome.Done.class);

        planWith(Limit.of(1_000), MetricRate.of(3, 60));
        clock.advance(Duration.ofSeconds(10));

        // The next cell of the old rate was due 30 s after the first: 20 s from now.
        assertThat(rateLimited(record(1)).refused().retryAfterMillis()).contains(20_000L);
        clock.advance(Duration.ofSeconds(20));
        assertThat(record(1)).isInstanceOf(Outcome.Done.class);
    }

    @Test
    void R91_the_first_rate_refusal_of_a_metric_in_a_minute_is_one_event() {
        record(2);
        for (int i = 0; i < 5; i++) {
            rateLimited(record(1));
        }
        assertThat(rateEvents()).hasSize(1);

        clock.advance(Duration.ofSeconds(50));
        record(1);
        rateLimited(record(1));
        assertThat(rateEvents()).hasSize(2);
        assertThat(rateEvents().get(0).data()).contains("calls").contains("per_seconds");
    }

    private List<Event> rateEvents() {
        List<Event> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            EventPage page = tally.events().list(new ListEvents(Optional.of(user), Optional.empty(), 50, cursor));
            all.addAll(page.events());
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        return all.stream().filter(e -> e.type() == EventType.USAGE_RATE_LIMITED).toList();
    }

    @Test
    void R70_a_check_reports_the_rates_remaining_records_nothing_and_agrees_with_the_write() {
        for (int i = 0; i < 4; i++) {
            var check = tally.entitlements().check(new dev.tally.application.entitlement.CheckEntitlement(user, CALLS,
                    BigDecimal.ONE));
            assertThat(check.rate()).hasValueSatisfying(rate -> assertThat(rate.remaining()).isBetween(0L, 2L));
            boolean granted = record(1) instanceof Outcome.Done;
            assertThat(granted).as("write %d", i).isEqualTo(check.allowed());
        }
        var after = tally.entitlements().check(new dev.tally.application.entitlement.CheckEntitlement(user, CALLS,
                BigDecimal.ONE));
        assertThat(after.allowed()).isFalse();
        assertThat(after.rate().orElseThrow().remaining()).isZero();
        assertThat(after.rate().orElseThrow().resetNanos()).isEqualTo(60_000_000_000L);
        assertThat(after.denial()).isEmpty();
        clock.advance(Duration.ofSeconds(30));
        assertThat(tally.entitlements().check(new dev.tally.application.entitlement.CheckEntitlement(user, CALLS,
                BigDecimal.ONE)).rate().orElseThrow().remaining()).isEqualTo(1);
        assertThat(used()).isEqualByComparingTo("2");
    }
}
