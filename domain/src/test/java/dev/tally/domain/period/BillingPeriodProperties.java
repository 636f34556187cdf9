package dev.tally.domain.period;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** R1–R4 as properties: periods tile time with no gap or overlap, whatever the cycle. */
class BillingPeriodProperties {

    private static final long FROM = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
    private static final long TO = Instant.parse("2060-01-01T00:00:00Z").getEpochSecond();

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(FROM, TO).map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<BillingSchedule> schedules() {
        Arbitrary<ZoneId> zones = Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney",
                "Asia/Kolkata", "America/St_Johns", "Pacific/Apia").map(ZoneId::of);
        Arbitrary<BillingCycle> first = Combinators.combine(Arbitraries.of(CycleKind.values()), instants(), zones)
                .as(BillingCycle::new);
        Arbitrary<List<Long>> resets = Arbitraries.longs().between(1, 200L * 86_400).list().ofMaxSize(3);
        return Combinators.combine(first, resets).as((cycle, gaps) -> {
            List<BillingCycle> cycles = new ArrayList<>(List.of(cycle));
            Instant anchor = cycle.anchor();
            for (long gap : gaps) {
                anchor = anchor.plusSeconds(gap);
                cycles.add(cycle.anchoredAt(anchor));
            }
            return new BillingSchedule(cycles);
        });
    }

    @Property(tries = 500)
    void R2_every_instant_falls_in_exactly_one_period(@ForAll("schedules") BillingSchedule schedule,
                                                      @ForAll("instants") Instant instant) {
        BillingPeriod period = schedule.periodAt(instant);

        assertThat(period.contains(instant)).isTrue();
        assertThat(schedule.periodAt(period.start())).isEqualTo(period);
        assertThat(schedule.periodAt(period.end().minusNanos(1))).isEqualTo(period);
    }

    @Property(tries = 500)
    void R2_consecutive_periods_share_their_boundary(@ForAll("schedules") BillingSchedule schedule,
                                                     @ForAll("instants") Instant instant) {
        BillingPeriod period = schedule.periodAt(instant);

        assertThat(schedule.periodAt(period.end()).start()).isEqualTo(period.end());
        assertThat(schedule.periodAt(period.start().minusNanos(1)).end()).isEqualTo(period.start());
    }

    @Property(tries = 300)
    void R1_a_period_is_never_longer_than_a_month_and_a_day(@ForAll("schedules") BillingSchedule schedule,
                                                            @ForAll("instants") Instant instant) {
        BillingPeriod period = schedule.periodAt(instant);

        assertThat(period.end().getEpochSecond() - period.start().getEpochSecond()).isLessThanOrEqualTo(32L * 86_400);
    }

    @Property(tries = 300)
    void R4_every_anchor_starts_a_period(@ForAll("schedules") BillingSchedule schedule) {
        for (BillingCycle cycle : schedule.cycles()) {
            assertThat(schedule.periodAt(cycle.anchor()).start()).isEqualTo(cycle.anchor());
        }
    }
}
