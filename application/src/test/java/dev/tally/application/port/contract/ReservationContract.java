package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static dev.tally.application.port.contract.Fixtures.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.entitlement.CheckEntitlement;
import dev.tally.application.event.EventPage;
import dev.tally.application.event.ListEvents;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.reservation.EndReservation;
import dev.tally.application.reservation.HoldReservation;
import dev.tally.application.run.CompleteRun;
import dev.tally.application.run.StartRun;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.DomainException;
import dev.tally.domain.event.EventType;
import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.usage.ReservationState;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reservations as use cases on every storage (R71): a hold counts against the limit until it is
 * committed (the actual recorded, the rest released), released or expired; an expired hold stops
 * counting at its instant before any sweep; late or foreign ends are refused; everything is
 * idempotent and atomic.
 */
public abstract class ReservationContract {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final MetricKey TOKENS = new MetricKey("tokens");

    protected abstract TallyStorage storage();

    private final ManualClock clock = new ManualClock(NOW);
    private Tally tally;
    private UserId user;

    @BeforeEach
    void setUp() {
        tally = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        user = subscriber(tally, "Tokens", new PlanLimits(Map.of(TOKENS, Limit.of(1000), MetricKey.RUNS, Limit.of(3))));
    }

    private Outcome<Reservation> hold(long quantity, Long ttlSeconds, String key) {
        return tally.reservations().hold(new HoldReservation(user, TOKENS, BigDecimal.valueOf(quantity),
                ttlSeconds == null ? OptionalLong.empty() : OptionalLong.of(ttlSeconds),
                Optional.ofNullable(key).map(IdempotencyKey::new)));
    }

    private Reservation held(long quantity) {
        return hold(quantity, null, null).orElseThrow();
    }

    private Reservation commit(Reservation hold, Long actual) {
        return tally.reservations().end(EndReservation.commit(user, hold.id(),
                Optional.ofNullable(actual).map(BigDecimal::valueOf), Optional.empty()));
    }

    private Reservation release(Reservation hold) {
        return tally.reservations().end(EndReservation.release(user, hold.id(), Optional.empty()));
    }

    private MetricUsage tokens() {
        return tally.usage().usage(user, Optional.empty()).metric(TOKENS).orElseThrow();
    }

    private void assertTokens(String used, String reserved) {
        assertThat(tokens().used()).as("used").isEqualByComparingTo(used);
        assertThat(tokens().reserved()).as("reserved").isEqualByComparingTo(reserved);
    }

    @Test
    void R71_a_hold_counts_as_reserved_and_a_commit_records_the_actual_and_releases_the_rest() {
        Reservation hold = held(600);

        assertThat(hold.state()).isEqualTo(ReservationState.HELD);
        assertThat(hold.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertTokens("0", "600");
        assertThat(tally.entitlements().check(new CheckEntitlement(user, TOKENS, BigDecimal.valueOf(401))).allowed())
                .isFalse();

        Reservation committed = commit(hold, 420L);

        assertThat(committed.state()).isEqualTo(ReservationState.COMMITTED);
        assertThat(committed.committedQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("420"));
        assertTokens("420", "0");
        assertThat(tally.reservations().get(user, hold.id()).state()).isEqualTo(ReservationState.COMMITTED);
    }

    @Test
    void R71_a_commit_without_a_quantity_records_the_whole_hold_and_a_release_records_nothing() {
        commit(held(100), null);
        Reservation released = release(held(300));

        assertThat(released.state()).isEqualTo(ReservationState.RELEASED);
        assertTokens("100", "0");
    }

    @Test
    void R71_a_hold_beyond_the_limit_is_refused_as_R12() {
        held(700);

        Outcome<Reservation> refused = hold(301, null, null);

        assertThat(refused).isInstanceOfSatisfying(Outcome.Refused.class, r -> {
            LimitExceeded denial = (LimitExceeded) r.refusal();
            assertThat(denial.code()).isEqualTo("tokens_limit_exceeded");
            assertThat(denial.currentUsage()).isEqualByComparingTo("700");
            assertThat(denial.requested()).isEqualByComparingTo("301");
        });
        assertTokens("0", "700");
    }

    @Test
    void R71_R75_a_refused_hold_records_its_limit_denied_event_once() {
        held(700);

        assertThat(hold(301, null, null)).isInstanceOf(Outcome.Refused.class);
        assertThat(hold(302, null, null)).isInstanceOf(Outcome.Refused.class);

        EventPage denials = tally.events().list(new ListEvents(Optional.of(user),
                Optional.of(EventType.USAGE_LIMIT_DENIED), 10, Optional.empty()));
        assertThat(denials.events()).hasSize(1);
        assertThat(denials.events().get(0).data()).startsWith("{\"metric\":\"tokens\",\"used\":0,"
                + "\"reserved\":700,\"requested\":301,\"limit\":1000,");
    }

    @Test
    void R71_an_expired_hold_stops_counting_at_its_instant_before_any_sweep() {
        Reservation hold = hold(900, 60L, null).orElseThrow();

        clock.advance(Duration.ofSeconds(59));
        assertTokens("0", "900");
        assertThat(tally.reservations().get(user, hold.id()).state()).isEqualTo(ReservationState.HELD);

        clock.advance(Duration.ofSeconds(1));
        assertTokens("0", "0");
        assertThat(tally.reservations().get(user, hold.id()).state()).isEqualTo(ReservationState.EXPIRED);
        assertThat(tally.entitlements().check(new CheckEntitlement(user, TOKENS, BigDecimal.valueOf(1000))).allowed())
                .isTrue();
        // The room the expired hold kept is granted, by an enforced write and by a new hold alike.
        assertThat(tally.usage().record(new RecordUsage(user, List.of(new UsageItem(TOKENS, BigDecimal.valueOf(500),
                Optional.empty(), new IdempotencyKey(newId("k")), Map.of())), true))).isInstanceOf(Outcome.Done.class);
        assertThat(hold(500, null, null)).isInstanceOf(Outcome.Done.class);
        assertTokens("500", "500");
    }

    @Test
    void R71_committing_or_releasing_an_expired_hold_is_409_reservation_expired() {
        Reservation hold = hold(10, 30L, null).orElseThrow();
        clock.advance(Duration.ofSeconds(30));

        assertThatThrownBy(() -> commit(hold, 5L)).extracting("code").isEqualTo("reservation_expired");
        assertThatThrownBy(() -> release(hold)).extracting("code").isEqualTo("reservation_expired");
        assertTokens("0", "0");
    }

    @Test
    void R71_unknown_foreign_and_ended_holds_are_refused() {
        Reservation hold = held(10);
        commit(hold, 4L);
        UserId other = user;
        user = newUser();
        tally.users().put(PutUser.of(user, tally.users().get(other).planId()));

        assertThatThrownBy(() -> commit(hold, 1L)).extracting("code").isEqualTo("reservation_not_found");
        assertThatThrownBy(() -> tally.reservations().get(user, "res_nope")).extracting("code")
                .isEqualTo("reservation_not_found");
        user = other;
        assertThatThrownBy(() -> commit(hold, 1L)).extracting("code").isEqualTo("reservation_not_held");
        assertThatThrownBy(() -> release(hold)).extracting("code").isEqualTo("reservation_not_held");
        assertThatThrownBy(() -> commit(held(10), 11L)).isInstanceOf(DomainException.class)
                .extracting("code").isEqualTo("invalid_quantity");
        assertThatThrownBy(() -> hold(1, 86_401L, null)).extracting("code").isEqualTo("invalid_ttl");
        assertTokens("4", "10");
    }

    @Test
    void R26_R71_a_runs_hold_stops_counting_at_its_timeout_before_any_sweep_and_its_success_still_counts() {
        ReportRun run = tally.runs().start(StartRun.of(user)).orElseThrow();
        assertThat(tally.usage().usage(user, Optional.empty()).metric(MetricKey.RUNS).orElseThrow().reserved())
                .isEqualByComparingTo("1");

        clock.advance(Duration.ofHours(1));

        MetricUsage runs = tally.usage().usage(user, Optional.empty()).metric(MetricKey.RUNS).orElseThrow();
        assertThat(runs.reserved()).isZero();
        assertThat(tally.runs().usage(user, Optional.empty()).remaining())
                .hasValueSatisfying(r -> assertThat(r).isEqualByComparingTo("3"));
        tally.runs().complete(CompleteRun.of(user, run.id(), RunCompletion.of(RunStatus.SUCCEEDED)));
        assertThat(tally.usage().usage(user, Optional.empty()).metric(MetricKey.RUNS).orElseThrow().used())
                .isEqualByComparingTo("1");
    }

    @Test
    void R20_a_retried_hold_or_commit_counts_once() {
        Reservation first = hold(100, null, "h-1").orElseThrow();
        Reservation again = hold(100, null, "h-1").orElseThrow();
        EndReservation end = EndReservation.commit(user, first.id(), Optional.of(BigDecimal.valueOf(70)),
                Optional.of(new IdempotencyKey("c-1")));
        tally.reservations().end(end);
        Reservation retried = tally.reservations().end(end);

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(retried.state()).isEqualTo(ReservationState.COMMITTED);
        assertTokens("70", "0");
        assertThatThrownBy(() -> hold(101, null, "h-1")).extracting("code").isEqualTo("idempotency_key_reused");
    }

    @Test
    void R13_64_threads_holding_committing_and_releasing_never_pass_the_limit_and_count_each_commit_once()
            throws Exception {
        // Each task holds 50 and ends its hold at once: a third commit all, a third commit 25, a
        // third release. Commits use the limit up, so later holds are refused.
        List<String> outcomes = concurrently(64, 192, i -> () -> {
            Outcome<Reservation> held = hold(50, null, null);
            if (held instanceof Outcome.Refused<Reservation>) {
                return "refused";
            }
            Reservation hold = held.orElseThrow();
            return switch (i % 3) {
                case 0 -> commit(hold, null).committedQuantity().orElseThrow().toPlainString();
                case 1 -> commit(hold, 25L).committedQuantity().orElseThrow().toPlainString();
                default -> release(hold).state().wireName();
            };
        });

        long used = 0;
        for (String outcome : outcomes) {
            used += outcome.equals("refused") || outcome.equals("released") ? 0 : new BigDecimal(outcome).longValue();
        }
        assertThat(outcomes).contains("refused");
        assertThat(used).isLessThanOrEqualTo(1000);
        assertTokens(String.valueOf(used), "0");
    }

    @Test
    void R13_64_concurrent_holds_that_fit_are_all_granted_and_released_leave_nothing_reserved() throws Exception {
        List<Outcome<Reservation>> holds = concurrently(64, 64, i -> () -> hold(15, null, null));

        assertThat(holds).allSatisfy(h -> assertThat(h).isInstanceOf(Outcome.Done.class));
        assertTokens("0", "960");
        assertThat(hold(41, null, null)).isInstanceOf(Outcome.Refused.class);
        concurrently(64, 64, i -> () -> release(holds.get(i).orElseThrow()));
        assertTokens("0", "0");
    }

    /** A meter over a source metric no other test uses (meters are shared by every user), limited by a new plan. */
    private record Metered(UserId user, Meter meter) {
    }

    private Metered metered(Aggregation aggregation, Map<String, List<String>> filter, long limit) {
        String tag = "r" + newId("").replace("-", "").substring(0, 12);
        Meter meter = tally.meters().put(Meter.define(new MetricKey(tag + "_metered"), new MetricKey(tag + "_calls"),
                aggregation, aggregation == Aggregation.UNIQUE_COUNT ? Optional.of("end_user") : Optional.empty(),
                filter, List.of(), Optional.empty()));
        return new Metered(subscriber(tally, "Metered", new PlanLimits(Map.of(meter.key(), Limit.of(limit)))), meter);
    }

    private Outcome<Reservation> holdOf(Metered m, long quantity, Long ttlSeconds) {
        return tally.reservations().hold(new HoldReservation(m.user(), m.meter().key(), BigDecimal.valueOf(quantity),
                ttlSeconds == null ? OptionalLong.empty() : OptionalLong.of(ttlSeconds), Optional.empty()));
    }

    private MetricUsage usageOf(UserId of, MetricKey metric) {
        return tally.usage().usage(of, Optional.empty()).metric(metric).orElseThrow();
    }

    private Outcome<?> recordSource(Metered m, long quantity, Map<String, String> dimensions) {
        return tally.usage().record(new RecordUsage(m.user(), List.of(new UsageItem(m.meter().source(),
                BigDecimal.valueOf(quantity), Optional.empty(), new IdempotencyKey(newId("k")), dimensions)), true));
    }

    @Test
    void R71_R81_a_hold_on_a_sum_meter_reserves_against_its_limit_and_its_commit_records_the_source_that_feeds_it() {
        Metered m = metered(Aggregation.SUM, Map.of("model", List.of("gpt-4o")), 1000);
        Map<String, String> gpt = Map.of("model", "gpt-4o");
        assertThat(recordSource(m, 100, gpt)).isInstanceOf(Outcome.Done.class);

        Reservation hold = holdOf(m, 600, null).orElseThrow();

        assertThat(usageOf(m.user(), m.meter().key()).used()).isEqualByComparingTo("100");
        assertThat(usageOf(m.user(), m.meter().key()).reserved()).isEqualByComparingTo("600");
        assertThat(holdOf(m, 301, null)).isInstanceOfSatisfying(Outcome.Refused.class, r -> assertThat(
                ((LimitExceeded) r.refusal()).code()).isEqualTo(m.meter().key().value() + "_limit_exceeded"));
        assertThat(recordSource(m, 301, gpt)).as("an enforced record of the source sees the hold")
                .isInstanceOf(Outcome.Refused.class);
        assertThat(tally.entitlements().check(new CheckEntitlement(m.user(), m.meter().key(), BigDecimal.valueOf(300)))
                .allowed()).isTrue();
        assertThat(tally.entitlements().check(new CheckEntitlement(m.user(), m.meter().key(), BigDecimal.valueOf(301)))
                .allowed()).isFalse();

        assertThatThrownBy(() -> tally.reservations().end(EndReservation.commit(m.user(), hold.id(),
                BigDecimal.valueOf(420)).withDimensions(Map.of("model", "gpt-3")))).extracting("code")
                .isEqualTo("dimensions_not_matching_meter");
        assertThat(tally.reservations().get(m.user(), hold.id()).state()).as("a refused commit leaves it held")
                .isEqualTo(ReservationState.HELD);

        Reservation committed = tally.reservations().end(EndReservation.commit(m.user(), hold.id(),
                BigDecimal.valueOf(420)).withDimensions(gpt));

        assertThat(committed.committedQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("420"));
        assertThat(tally.reservations().get(m.user(), hold.id()).committedQuantity())
                .hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("420"));
        assertThat(usageOf(m.user(), m.meter().key()).used()).isEqualByComparingTo("520");
        assertThat(usageOf(m.user(), m.meter().key()).reserved()).isZero();
        assertThat(tally.meters().value(m.user(), m.meter().key(), false, Optional.empty()).value())
                .isEqualByComparingTo("520");
        assertThat(usageOf(m.user(), m.meter().source()).used()).as("the commit is usage of the source")
                .isEqualByComparingTo("520");
        assertThat(storage().usage().reconcileMeters(Optional.of(m.meter().key()), NOW.minus(Duration.ofDays(60)),
                false).drifts()).as("the meter agrees with the facts that fed it").isEmpty();
        assertThat(recordSource(m, 481, gpt)).isInstanceOf(Outcome.Refused.class);
        assertThat(recordSource(m, 480, gpt)).isInstanceOf(Outcome.Done.class);
    }

    @Test
    void R71_R81_a_hold_on_a_count_meter_holds_records_and_its_commit_records_each_one() {
        Metered m = metered(Aggregation.COUNT, Map.of(), 5);
        Reservation hold = holdOf(m, 3, null).orElseThrow();

        assertThat(holdOf(m, 3, null)).isInstanceOf(Outcome.Refused.class);
        assertThat(holdOf(m, 2, null).orElseThrow().state()).isEqualTo(ReservationState.HELD);
        assertThat(recordSource(m, 7, Map.of())).as("a sixth record").isInstanceOf(Outcome.Refused.class);

        tally.reservations().end(EndReservation.commit(m.user(), hold.id(), BigDecimal.valueOf(2)));

        assertThat(usageOf(m.user(), m.meter().key()).used()).isEqualByComparingTo("2");
        assertThat(usageOf(m.user(), m.meter().key()).reserved()).isEqualByComparingTo("2");
        assertThat(usageOf(m.user(), m.meter().source()).used()).as("two records of 1")
                .isEqualByComparingTo("2");
        assertThat(storage().usage().reconcileMeters(Optional.of(m.meter().key()), NOW.minus(Duration.ofDays(60)),
                false).drifts()).isEmpty();
        assertThatThrownBy(() -> holdOf(m, 0, null)).extracting("code").isEqualTo("invalid_quantity");
        assertThatThrownBy(() -> tally.reservations().hold(new HoldReservation(m.user(), m.meter().key(),
                new BigDecimal("1.5"), OptionalLong.empty(), Optional.empty()))).extracting("code")
                .isEqualTo("invalid_quantity");
    }

    @Test
    void R71_R81_a_hold_on_a_meter_stops_counting_at_its_expiry_before_any_sweep() {
        Metered m = metered(Aggregation.SUM, Map.of(), 1000);
        Reservation hold = holdOf(m, 900, 60L).orElseThrow();

        clock.advance(Duration.ofSeconds(60));

        assertThat(usageOf(m.user(), m.meter().key()).reserved()).isZero();
        assertThat(recordSource(m, 500, Map.of())).isInstanceOf(Outcome.Done.class);
        assertThat(holdOf(m, 500, null)).isInstanceOf(Outcome.Done.class);
        assertThatThrownBy(() -> tally.reservations().end(EndReservation.commit(m.user(), hold.id())))
                .extracting("code").isEqualTo("reservation_expired");
        assertThat(usageOf(m.user(), m.meter().key()).used()).isEqualByComparingTo("500");
        assertThat(usageOf(m.user(), m.meter().key()).reserved()).isEqualByComparingTo("500");
    }

    @Test
    void R71_R81_a_hold_on_a_max_latest_or_unique_count_meter_is_422_meter_not_reservable_and_holds_nothing() {
        for (Aggregation aggregation : List.of(Aggregation.MAX, Aggregation.LATEST, Aggregation.UNIQUE_COUNT)) {
            Metered m = metered(aggregation, Map.of(), 1000);

            assertThatThrownBy(() -> holdOf(m, 5, null)).as(aggregation.wire()).isInstanceOfSatisfying(
                    DomainException.class, e -> {
                        assertThat(e.code()).isEqualTo("meter_not_reservable");
                        assertThat(e.getMessage()).contains(aggregation.wire()).contains("only sum and count");
                    });
            assertThat(usageOf(m.user(), m.meter().key()).reserved()).isZero();
        }
    }

    @Test
    void R13_R71_R81_64_threads_holding_and_committing_a_meter_never_pass_its_limit() throws Exception {
        Metered m = metered(Aggregation.SUM, Map.of(), 1000);
        List<String> outcomes = concurrently(64, 128, i -> () -> {
            Outcome<Reservation> held = holdOf(m, 50, null);
            if (held instanceof Outcome.Refused<Reservation>) {
                return "refused";
            }
            return tally.reservations().end(EndReservation.commit(m.user(), held.orElseThrow().id(),
                    BigDecimal.valueOf(i % 2 == 0 ? 50 : 30))).committedQuantity().orElseThrow().toPlainString();
        });

        long used = outcomes.stream().filter(o -> !o.equals("refused")).mapToLong(Long::parseLong).sum();
        assertThat(outcomes).contains("refused");
        assertThat(used).isLessThanOrEqualTo(1000);
        assertThat(usageOf(m.user(), m.meter().key()).used()).isEqualByComparingTo(String.valueOf(used));
        assertThat(usageOf(m.user(), m.meter().key()).reserved()).isZero();
    }
}
