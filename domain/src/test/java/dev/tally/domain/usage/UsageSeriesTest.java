package dev.tally.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class UsageSeriesTest {

    private static final MetricKey RUNS = MetricKey.RUNS;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    @Test
    void R52_days_of_the_users_zone_cut_by_the_period_with_a_short_day_at_the_spring_change() {
        BillingPeriod period = new BillingPeriod(at("2026-03-28T10:30:00Z"), at("2026-03-31T10:30:00Z"));

        assertThat(UsageSeries.bucketStarts(period, BERLIN, Granularity.DAY)).containsExactly(
                at("2026-03-28T10:30:00Z"), at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z"),
                at("2026-03-30T22:00:00Z"));
        assertThat(UsageSeries.bucketStarts(period, BERLIN, Granularity.HOUR)).hasSize(73)
                .startsWith(at("2026-03-28T10:30:00Z"), at("2026-03-28T11:00:00Z"));
    }

    @Test
    void R52_the_slice_is_the_longest_that_no_bucket_boundary_cuts() {
        BillingPeriod month = new BillingPeriod(at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"));
        BillingPeriod oddStart = new BillingPeriod(at("2026-03-01T12:34:56.789Z"), at("2026-04-01T12:34:56.789Z"));

        assertThat(slice(month, ZoneOffset.UTC, Granularity.DAY)).isEqualTo(Duration.ofHours(1));
        assertThat(slice(oddStart, ZoneOffset.UTC, Granularity.HOUR)).isEqualTo(Duration.ofHours(1));
        assertThat(slice(month, ZoneId.of("Asia/Kolkata"), Granularity.DAY)).isEqualTo(Duration.ofMinutes(15));
        assertThat(slice(month, ZoneId.of("Asia/Kathmandu"), Granularity.HOUR)).isEqualTo(Duration.ofMinutes(15));
        assertThat(slice(month, ZoneOffset.ofHoursMinutesSeconds(0, 44, 30), Granularity.DAY))
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void R52_each_bucket_holds_its_slices_and_the_running_total_ends_at_the_sum() {
        BillingPeriod period = new BillingPeriod(at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"));
        SortedMap<Instant, BigDecimal> slices = new TreeMap<>();
        slices.put(at("2026-03-01T05:00:00Z"), new BigDecimal("2"));
        slices.put(at("2026-03-01T23:00:00Z"), new BigDecimal("3"));
        slices.put(at("2026-03-03T00:00:00Z"), new BigDecimal("0.5"));

        UsageSeries series = UsageSeries.of(RUNS, period, ZoneOffset.UTC, Granularity.DAY,
                at("2026-03-04T08:00:00Z"), slices);

        assertThat(series.points()).extracting(UsageSeries.Point::start).containsExactly(
                at("2026-03-01T00:00:00Z"), at("2026-03-02T00:00:00Z"), at("2026-03-03T00:00:00Z"),
                at("2026-03-04T00:00:00Z"));
        assertThat(series.points()).extracting(p -> p.quantity().toPlainString()).containsExactly("5", "0", "0.5", "0");
        assertThat(series.points()).extracting(p -> p.cumulative().toPlainString())
                .containsExactly("5", "5", "5.5", "5.5");
    }

    @Test
    void R52_a_past_period_has_every_bucket_a_future_one_none_and_a_record_ahead_of_now_is_shown() {
        BillingPeriod period = new BillingPeriod(at("2026-03-01T00:00:00Z"), at("2026-03-04T00:00:00Z"));
        SortedMap<Instant, BigDecimal> ahead = new TreeMap<>(java.util.Map.of(at("2026-03-02T00:00:00Z"), BigDecimal.ONE));

        assertThat(UsageSeries.of(RUNS, period, ZoneOffset.UTC, Granularity.DAY, at("2026-05-01T00:00:00Z"),
                new TreeMap<>()).points()).hasSize(3);
        assertThat(UsageSeries.of(RUNS, period, ZoneOffset.UTC, Granularity.DAY, at("2026-02-01T00:00:00Z"),
                new TreeMap<>()).points()).isEmpty();
        assertThat(UsageSeries.of(RUNS, period, ZoneOffset.UTC, Granularity.DAY, at("2026-03-01T23:58:00Z"), ahead)
                .points()).extracting(p -> p.cumulative().intValue()).containsExactly(0, 1);
    }

    @Test
    void R52_an_unknown_granularity_is_refused() {
        assertThat(Granularity.fromWireName("hour")).isEqualTo(Granularity.HOUR);
        assertThatThrownBy(() -> Granularity.fromWireName("week")).isInstanceOf(DomainException.class)
                .hasMessageContaining("day or hour");
    }

    private static Duration slice(BillingPeriod period, ZoneId zone, Granularity granularity) {
        List<Instant> starts = UsageSeries.bucketStarts(period, zone, granularity);
        return UsageSeries.sliceFor(starts);
    }
}
