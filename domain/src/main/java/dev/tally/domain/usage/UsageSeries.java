package dev.tally.domain.usage;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A metric's usage over one period, bucket by bucket (R52): each bucket's quantity and the
 * running total. Buckets are the days (or hours) of the user's time zone cut by the period, so
 * the first starts at the period's start; empty buckets are included, up to the bucket of
 * {@code upTo}. The running total of the last bucket is the period's {@code used} (R10) once the
 * series reaches the period's latest record.
 *
 * <p>The ledger sums facts per <em>slice</em>, an epoch-aligned span short enough that no bucket
 * boundary falls inside one ({@link #sliceFor}), so a series costs at most one row per slice of
 * the period, whatever the number of records.
 */
public record UsageSeries(MetricKey metric, BillingPeriod period, Granularity granularity, ZoneId zone,
                          List<Point> points) {

    private static final List<Duration> SLICES = List.of(Duration.ofHours(1), Duration.ofMinutes(15),
            Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofNanos(1000),
            Duration.ofNanos(1));

    /** One bucket: where it starts, what was used in it, and the running total at its end. */
    public record Point(Instant start, BigDecimal quantity, BigDecimal cumulative) {
        public Point {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(quantity, "quantity");
            Objects.requireNonNull(cumulative, "cumulative");
        }
    }

    public UsageSeries {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(zone, "zone");
        points = List.copyOf(points);
    }

    /** Where each bucket of {@code period} starts, the period's start first. */
    public static List<Instant> bucketStarts(BillingPeriod period, ZoneId zone, Granularity granularity) {
        List<Instant> starts = new ArrayList<>();
        for (Instant at = period.start(); at.isBefore(period.end()); at = granularity.nextStart(at, zone)) {
            starts.add(at);
        }
        return starts;
    }

    /**
     * The longest epoch-aligned slice (an hour down to a nanosecond) that no bucket boundary inside
     * the period cuts. The period's own start and end need not be aligned: only facts of the
     * period are summed, so a slice across either edge still holds facts of one bucket only.
     */
    public static Duration sliceFor(List<Instant> bucketStarts) {
        for (Duration slice : SLICES) {
            if (bucketStarts.stream().skip(1).allMatch(start -> sliceStart(start, slice).equals(start))) {
                return slice;
            }
        }
        throw new IllegalStateException("a nanosecond slice always fits");
    }

    /**
     * The series from the ledger's sums per slice ({@code slices}: slice start to quantity), with a
     * point for every bucket that starts at or before {@code upTo}, or holds a slice.
     */
    public static UsageSeries of(MetricKey metric, BillingPeriod period, ZoneId zone, Granularity granularity,
                                 Instant upTo, SortedMap<Instant, BigDecimal> slices) {
        List<Instant> starts = bucketStarts(period, zone, granularity);
        Instant last = slices.isEmpty() || slices.lastKey().isBefore(upTo) ? upTo : slices.lastKey();
        List<Point> points = new ArrayList<>();
        BigDecimal cumulative = BigDecimal.ZERO;
        for (int i = 0; i < starts.size() && !starts.get(i).isAfter(last); i++) {
            Instant end = i + 1 < starts.size() ? starts.get(i + 1) : period.end();
            BigDecimal quantity = BigDecimal.ZERO;
            for (Map.Entry<Instant, BigDecimal> slice : slices.headMap(end).entrySet()) {
                quantity = quantity.add(slice.getValue());
            }
            slices = slices.tailMap(end);
            cumulative = cumulative.add(quantity);
            points.add(new Point(starts.get(i), quantity, cumulative));
        }
        return new UsageSeries(metric, period, granularity, zone, points);
    }

    /**
     * The start of the epoch-aligned {@code slice} containing {@code instant}; {@code slice} is a
     * whole number of seconds or divides one second.
     */
    public static Instant sliceStart(Instant instant, Duration slice) {
        long nanos = slice.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            long seconds = nanos / 1_000_000_000L;
            return Instant.ofEpochSecond(instant.getEpochSecond() - Math.floorMod(instant.getEpochSecond(), seconds));
        }
        return instant.minusNanos(instant.getNano() % nanos);
    }
}
