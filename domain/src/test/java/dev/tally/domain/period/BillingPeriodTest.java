package dev.tally.domain.period;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BillingPeriodTest {

    private static final ZoneId UTC = ZoneOffset.UTC;

    private static Instant utc(String localDateTime) {
        return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC);
    }

    /** The starts of {@code count} consecutive periods from the one containing {@code from}. */
    private static List<Instant> starts(BillingSchedule schedule, Instant from, int count) {
        List<Instant> starts = new ArrayList<>();
        BillingPeriod period = schedule.periodAt(from);
        for (int i = 0; i < count; i++) {
            starts.add(period.start());
            period = schedule.periodAt(period.end());
        }
        return starts;
    }

    @Test
    void R1_anniversary_anchored_on_jan_31_clamps_to_month_ends_without_drifting() {
        BillingSchedule schedule = BillingSchedule.of(BillingCycle.anniversary(utc("2026-01-31T10:00:00"), UTC));

        assertThat(starts(schedule, utc("2026-01-31T10:00:00"), 5)).containsExactly(
                utc("2026-01-31T10:00:00"),
                utc("2026-02-28T10:00:00"),
                utc("2026-03-31T10:00:00"),
                utc("2026-04-30T10:00:00"),
                utc("2026-05-31T10:00:00"));
    }

    @Test
    void R1_anniversary_in_a_leap_year_gives_feb_29() {
        BillingSchedule schedule = BillingSchedule.of(BillingCycle.anniversary(utc("2028-01-31T00:00:00"), UTC));

        assertThat(schedule.periodAt(utc("2028-03-01T00:00:00")))
                .isEqualTo(new BillingPeriod(utc("2028-02-29T00:00:00"), utc("2028-03-31T00:00:00")));
    }

    @Test
    void R1_calendar_month_periods_start_at_midnight_on_the_first_in_the_cycle_zone() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        BillingSchedule schedule = BillingSchedule.of(
                new BillingCycle(CycleKind.CALENDAR_MONTH, utc("2026-01-10T00:00:00"), tokyo));

        BillingPeriod period = schedule.periodAt(utc("2026-03-15T12:00:00"));

        assertThat(period.start()).isEqualTo(ZonedDateTime.of(2026, 3, 1, 0, 0, 0, 0, tokyo).toInstant());
        assertThat(period.end()).isEqualTo(ZonedDateTime.of(2026, 4, 1, 0, 0, 0, 0, tokyo).toInstant());
    }

    @Test
    void R2_usage_at_exactly_the_end_belongs_to_the_next_period() {
        BillingSchedule schedule = BillingSchedule.of(BillingCycle.calendarMonth(utc("2026-01-01T00:00:00")));
        BillingPeriod november = schedule.periodAt(utc("2026-11-15T00:00:00"));

        assertThat(november.contains(utc("2026-12-01T00:00:00"))).isFalse();
        assertThat(schedule.periodAt(utc("2026-12-01T00:00:00")).start()).isEqualTo(utc("2026-12-01T00:00:00"));
        assertThat(november.contains(utc("2026-11-01T00:00:00"))).isTrue();
    }

    @Test
    void R2_a_dst_change_in_the_cycle_zone_leaves_no_gap_and_no_overlap() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // Anchored at 02:30 local on the 29th: on 2026-03-29 02:30 does not exist in Berlin, and
        // on 2026-10-25 02:30 happens twice.
        Instant anchor = ZonedDateTime.of(2026, 1, 29, 2, 30, 0, 0, berlin).toInstant();
        BillingSchedule schedule = BillingSchedule.of(BillingCycle.anniversary(anchor, berlin));

        BillingPeriod period = schedule.periodAt(anchor);
        for (int i = 0; i < 24; i++) {
            BillingPeriod next = schedule.periodAt(period.end());
            assertThat(next.start()).as("period %d starts where %d ends", i + 1, i).isEqualTo(period.end());
            assertThat(schedule.periodAt(period.end().minusNanos(1))).isEqualTo(period);
            period = next;
        }
        BillingPeriod march = schedule.periodAt(ZonedDateTime.of(2026, 3, 29, 12, 0, 0, 0, berlin).toInstant());
        assertThat(march.start()).isEqualTo(ZonedDateTime.of(2026, 3, 29, 3, 30, 0, 0, berlin).toInstant());
    }

    @Test
    void R2_calendar_months_across_dst_are_contiguous() {
        ZoneId newYork = ZoneId.of("America/New_York");
        BillingSchedule schedule = BillingSchedule.of(
                new BillingCycle(CycleKind.CALENDAR_MONTH, utc("2026-01-01T05:00:00"), newYork));
        BillingPeriod march = schedule.periodAt(utc("2026-03-20T00:00:00"));
        BillingPeriod april = schedule.periodAt(march.end());

        assertThat(april.start()).isEqualTo(march.end());
        assertThat(march.end()).isEqualTo(utc("2026-04-01T04:00:00"));
        assertThat(march.start()).isEqualTo(utc("2026-03-01T05:00:00"));
    }

    @Test
    void R3_a_new_users_first_period_starts_at_its_anchor_and_nothing_before_counts_in_it() {
        Instant created = utc("2026-11-10T08:00:00");
        BillingSchedule schedule = BillingSchedule.of(BillingCycle.calendarMonth(created));

        assertThat(schedule.periodAt(utc("2026-11-20T00:00:00")))
                .isEqualTo(new BillingPeriod(created, utc("2026-12-01T00:00:00")));
        assertThat(schedule.periodAt(utc("2026-11-05T00:00:00")))
                .isEqualTo(new BillingPeriod(utc("2026-11-01T00:00:00"), created));
    }

    @Test
    void R5_a_calendar_month_user_created_mid_month_has_the_whole_month_as_its_first_period() {
        Instant created = utc("2026-11-10T08:00:00");
        BillingSchedule schedule = BillingSchedule.of(BillingCycle.starting(CycleKind.CALENDAR_MONTH, created, UTC));

        BillingPeriod november = new BillingPeriod(utc("2026-11-01T00:00:00"), utc("2026-12-01T00:00:00"));
        assertThat(schedule.periodAt(created)).isEqualTo(november);
        assertThat(schedule.periodAt(utc("2026-11-02T00:00:00"))).as("backfilled before creation").isEqualTo(november);
        assertThat(schedule.periodAt(utc("2026-10-31T23:59:59"))).isEqualTo(
                new BillingPeriod(utc("2026-10-01T00:00:00"), utc("2026-11-01T00:00:00")));
    }

    @Test
    void R5_the_whole_month_is_the_calendar_month_of_the_cycle_zone() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        BillingCycle cycle = BillingCycle.starting(CycleKind.CALENDAR_MONTH, utc("2026-10-31T20:00:00"), tokyo);

        assertThat(cycle.anchor()).as("Nov 1, 00:00 in Tokyo").isEqualTo(utc("2026-10-31T15:00:00"));
        assertThat(BillingSchedule.of(cycle).periodAt(utc("2026-10-31T16:00:00")).end())
                .isEqualTo(utc("2026-11-30T15:00:00"));
    }

    @Test
    void R5_an_anniversary_cycle_without_explicit_anchor_is_anchored_at_creation_and_a_reset_still_cuts_a_month() {
        Instant created = utc("2026-11-10T08:00:00");
        assertThat(BillingCycle.starting(CycleKind.ANNIVERSARY, created, UTC).anchor()).isEqualTo(created);

        Instant reset = utc("2026-11-20T00:00:00");
        BillingSchedule afterReset = BillingSchedule.of(BillingCycle.starting(CycleKind.CALENDAR_MONTH, created, UTC))
                .reanchoredAt(reset);
        assertThat(afterReset.periodAt(utc("2026-11-25T00:00:00")))
                .isEqualTo(new BillingPeriod(reset, utc("2026-12-01T00:00:00")));
    }

    @Test
    void R4_a_reset_starts_a_new_period_at_that_instant_and_keeps_earlier_periods() {
        BillingSchedule schedule = BillingSchedule.of(BillingCycle.calendarMonth(utc("2026-01-01T00:00:00")));
        Instant reset = utc("2026-11-15T09:30:00");

        BillingSchedule after = schedule.reanchoredAt(reset);

        assertThat(after.periodAt(utc("2026-11-20T00:00:00")))
                .isEqualTo(new BillingPeriod(reset, utc("2026-12-01T00:00:00")));
        assertThat(after.periodAt(utc("2026-11-02T00:00:00")))
                .isEqualTo(new BillingPeriod(utc("2026-11-01T00:00:00"), reset));
        assertThat(after.periodAt(utc("2026-10-02T00:00:00")))
                .isEqualTo(schedule.periodAt(utc("2026-10-02T00:00:00")));
        assertThat(after.periodAt(utc("2026-12-02T00:00:00")).start()).isEqualTo(utc("2026-12-01T00:00:00"));
    }

    @Test
    void R4_an_anniversary_reset_moves_the_anniversary_to_the_reset() {
        BillingSchedule schedule = BillingSchedule.of(BillingCycle.anniversary(utc("2026-01-05T00:00:00"), UTC))
                .reanchoredAt(utc("2026-11-20T12:00:00"));

        assertThat(schedule.periodAt(utc("2026-12-25T00:00:00")))
                .isEqualTo(new BillingPeriod(utc("2026-12-20T12:00:00"), utc("2027-01-20T12:00:00")));
        assertThat(schedule.periodAt(utc("2026-11-19T00:00:00")))
                .isEqualTo(new BillingPeriod(utc("2026-11-05T00:00:00"), utc("2026-11-20T12:00:00")));
    }

    @Test
    void R4_a_reset_must_come_after_the_current_anchor() {
        BillingSchedule schedule = BillingSchedule.of(BillingCycle.calendarMonth(utc("2026-05-01T00:00:00")));

        assertThatThrownBy(() -> schedule.reanchoredAt(utc("2026-04-01T00:00:00")))
                .isInstanceOf(DomainException.class)
                .extracting("code").isEqualTo("reset_not_after_anchor");
    }

    @Test
    void R2_a_period_must_end_after_it_starts() {
        assertThatThrownBy(() -> new BillingPeriod(utc("2026-05-01T00:00:00"), utc("2026-05-01T00:00:00")))
                .isInstanceOf(DomainException.class);
    }

    @Test
    void R64_an_anchor_beyond_what_storage_keeps_exactly_is_refused_and_the_latest_one_works() {
        assertThatThrownBy(() -> BillingCycle.anniversary(Instant.parse("2300-01-15T10:00:00Z"), ZoneOffset.UTC))
                .isInstanceOf(DomainException.class)
                .hasFieldOrPropertyWithValue("code", "invalid_anchor");
        BillingCycle latest = BillingCycle.anniversary(BillingCycle.LATEST_ANCHOR, ZoneOffset.UTC);
        Instant lastSecond = Instant.parse("9999-12-31T23:59:59Z");
        assertThat(latest.periodAt(lastSecond).contains(lastSecond)).isTrue();
        assertThat(BillingCycle.calendarMonth(Instant.parse("2026-10-15T12:00:00Z")).periodAt(lastSecond))
                .isEqualTo(new BillingPeriod(Instant.parse("9999-12-01T00:00:00Z"), BillingPeriod.LAST_INSTANT));
    }

    @Test
    void R64_a_period_reaches_from_1970_to_the_last_microsecond_of_9999() {
        Instant lastSecond = Instant.parse("9999-12-31T23:59:59Z");
        List<BillingCycle> cycles = List.of(
                BillingCycle.calendarMonth(Instant.parse("2026-10-15T12:00:00Z")),
                BillingCycle.starting(CycleKind.CALENDAR_MONTH, Instant.parse("2026-10-15T12:00:00Z"),
                        ZoneId.of("Pacific/Kiritimati")),
                BillingCycle.starting(CycleKind.CALENDAR_MONTH, Instant.parse("2026-10-15T12:00:00Z"),
                        ZoneId.of("Pacific/Pago_Pago")),
                BillingCycle.anniversary(Instant.parse("2026-01-06T09:30:00Z"), ZoneId.of("America/New_York")),
                BillingCycle.anniversary(Instant.parse("2026-01-31T23:00:00Z"), ZoneOffset.UTC));
        for (BillingCycle cycle : cycles) {
            for (Instant at : List.of(lastSecond, BillingPeriod.LAST_INSTANT.minusNanos(1000),
                    Instant.parse("9999-12-31T00:00:00Z"))) {
                BillingPeriod period = cycle.periodAt(at);
                assertThat(period.end()).as("%s at %s", cycle, at).isBeforeOrEqualTo(BillingPeriod.LAST_INSTANT);
                assertThat(period.contains(at)).as("%s at %s", cycle, at).isTrue();
                assertThat(period.end().toString()).as("written as a four-digit year").startsWith("9999-");
            }
        }
        assertThat(BillingPeriod.LAST_INSTANT.toString()).isEqualTo("9999-12-31T23:59:59.999999Z");
        for (BillingCycle cycle : cycles) {
            BillingPeriod first = cycle.periodAt(Instant.EPOCH);
            assertThat(first.start()).as("%s: no period starts before 1970", cycle).isEqualTo(Instant.EPOCH);
            assertThat(first.contains(Instant.EPOCH)).isTrue();
            assertThat(cycle.periodAt(first.end())).as("the next period starts where it ends")
                    .extracting(BillingPeriod::start).isEqualTo(first.end());
        }
        assertThat(BillingCycle.calendarMonth(Instant.parse("2026-10-15T12:00:00Z"))
                .periodAt(Instant.parse("9999-11-30T23:59:59Z")).end())
                .as("a period inside the range keeps its end").isEqualTo(Instant.parse("9999-12-01T00:00:00Z"));
    }
}
