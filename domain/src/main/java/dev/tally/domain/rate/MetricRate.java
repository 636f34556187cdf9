package dev.tally.domain.rate;

import dev.tally.domain.DomainException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Optional;

/**
 * How fast one metric may be recorded (R90): at most {@code limit} per {@code perSeconds}, plus
 * {@code burst} more at once after a quiet spell; never more than {@code burst + limit} in any
 * window of {@code perSeconds} seconds. Not to be confused with the per-API-key request rate of the
 * HTTP server: this one is a plan's, per user and metric, exact on any number of nodes.
 *
 * <p>The decision is a generic cell rate algorithm (GCRA): the state is one number, the
 * theoretical arrival time (TAT) of the next cell, counted in {@linkplain #ticks ticks} of
 * {@code 1 / limit} nanoseconds so that the emission interval {@code perSeconds / limit} is a whole
 * number of ticks ({@code perSeconds × 10⁹}) and nothing is ever rounded. A quantity of {@code q}
 * whole cells (a fraction counts as a whole cell) arriving at {@code now} is admitted iff
 * {@code max(TAT, now) + q × T <= now + (burst + 1) × T} (with {@code T} the emission interval,
 * and {@code now} anywhere within its nanosecond), and the TAT becomes the left side.
 *
 * @param limit      cells per window, at least 1
 * @param perSeconds the window, 1–86 400 seconds
 * @param burst      extra cells admitted at once after a quiet spell, 0 or more
 */
public record MetricRate(long limit, int perSeconds, long burst) {

    /** The longest window: one day. */
    public static final int MAX_PER_SECONDS = 86_400;
    /** The largest limit or burst, so that every figure fits a {@code DECIMAL(38)} column. */
    public static final long MAX_CELLS = 1_000_000_000L;

    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    public MetricRate {
        if (perSeconds < 1 || perSeconds > MAX_PER_SECONDS) {
            throw DomainException.invalid("invalid_rate_limit", "per_seconds must be 1-" + MAX_PER_SECONDS
                    + ", not " + perSeconds);
        }
        if (limit < 1 || limit > MAX_CELLS) {
            throw DomainException.invalid("invalid_rate_limit", "a rate limit must be a whole number 1-" + MAX_CELLS
                    + ", not " + limit + " (a limit of 0 is a period limit of 0)");
        }
        if (burst < 0 || burst > MAX_CELLS) {
            throw DomainException.invalid("invalid_rate_limit", "burst must be a whole number 0-" + MAX_CELLS
                    + ", not " + burst);
        }
    }

    /** A rate of {@code limit} per {@code perSeconds} without burst. */
    public static MetricRate of(long limit, int perSeconds) {
        return new MetricRate(limit, perSeconds, 0);
    }

    /** The emission interval {@code T} in ticks: {@code perSeconds × 10⁹}, whatever the limit. */
    public BigInteger interval() {
        return BigInteger.valueOf(perSeconds).multiply(NANOS_PER_SECOND);
    }

    /** {@code instant} in ticks of this rate ({@code 1 / limit} ns since the epoch). */
    public BigInteger ticks(Instant instant) {
        return nanos(instant).multiply(BigInteger.valueOf(limit));
    }

    /**
     * The whole cells {@code quantity} takes: rounded up, so that fractions never add up to more than
     * the rate admits (a rate counts whole cells).
     */
    public static BigInteger cells(BigDecimal quantity) {
        if (quantity.signum() < 0) {
            throw new IllegalArgumentException("a rated quantity is 0 or more: " + quantity);
        }
        return quantity.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    }

    /**
     * A TAT stored in ticks of a rate whose limit was {@code fromLimit}, in this rate's ticks:
     * rounded up, so that a plan change never admits a cell more than the old TAT allowed.
     */
    public BigInteger rescaled(BigInteger tat, long fromLimit) {
        return fromLimit == limit ? tat : ceilDiv(tat.multiply(BigInteger.valueOf(limit)), BigInteger.valueOf(fromLimit));
    }

    /** What {@code quantity} costs in ticks: its {@linkplain #cells cells} × {@code T}. */
    public BigInteger cost(BigDecimal quantity) {
        return cells(quantity).multiply(interval());
    }

    /**
     * The most a TAT may lie ahead of the start of the arrival's nanosecond after an admission, in
     * ticks: {@code (burst + 1) × T}, plus less than one nanosecond ({@code limit - 1} ticks), since
     * instants are whole nanoseconds and an arrival anywhere within the nanosecond a cell is due is
     * on time. That slack never admits a cell more in a window of whole nanoseconds.
     */
    public BigInteger tolerance() {
        return tolerance(interval());
    }

    /**
     * Decides {@code quantity} more at {@code now}, given the stored TAT ({@code empty} when nothing
     * was ever admitted): admitted with the new TAT, or refused with the exact wait (R90, R91).
     */
    public RateDecision decide(Optional<BigInteger> tat, Instant now, BigDecimal quantity) {
        BigInteger interval = interval();
        BigInteger tolerance = tolerance(interval);
        BigInteger nowTicks = ticks(now);
        BigInteger cost = cells(quantity).multiply(interval);
        BigInteger base = tat.filter(t -> t.compareTo(nowTicks) > 0).orElse(nowTicks);
        BigInteger next = base.add(cost);
        BigInteger latest = nowTicks.add(tolerance);
        if (next.compareTo(latest) <= 0) {
            return new RateDecision.Admitted(this, next, remaining(next, latest, interval),
                    resetNanos(next, nowTicks));
        }
        long remaining = remaining(base, latest, interval);
        if (cost.compareTo(tolerance) > 0) {
            return new RateDecision.Refused(this, Optional.empty(), remaining);
        }
        // Earliest t with base + cost <= t + tolerance, in whole nanoseconds rounded up.
        BigInteger earliestNanos = ceilDiv(next.subtract(tolerance), BigInteger.valueOf(limit));
        long wait = earliestNanos.subtract(nanos(now)).longValueExact();
        return new RateDecision.Refused(this, Optional.of(wait), remaining);
    }

    /**
     * What the rate would still admit at once at {@code now} with the stored TAT, as an entitlement
     * check reports it (R70): whole cells admitted at once, {@code 0} to {@code burst + 1}.
     */
    public RateDecision.Standing standing(Optional<BigInteger> tat, Instant now) {
        BigInteger interval = interval();
        BigInteger nowTicks = ticks(now);
        BigInteger base = tat.filter(t -> t.compareTo(nowTicks) > 0).orElse(nowTicks);
        return new RateDecision.Standing(this, remaining(base, nowTicks.add(tolerance(interval)), interval),
                resetNanos(base, nowTicks));
    }

    private BigInteger tolerance(BigInteger interval) {
        return interval.multiply(BigInteger.valueOf(burst + 1)).add(BigInteger.valueOf(limit - 1));
    }

    /** Whole cells still admitted at once when the TAT is {@code tat}: {@code ⌊(now + tolerance - tat) / T⌋}. */
    private static long remaining(BigInteger tat, BigInteger latest, BigInteger interval) {
        BigInteger room = latest.subtract(tat);
        return room.signum() <= 0 ? 0 : room.divide(interval).longValueExact();
    }

    /** Nanoseconds until the bucket is whole again (the TAT reaches now), rounded up. */
    private long resetNanos(BigInteger tat, BigInteger nowTicks) {
        BigInteger ahead = tat.subtract(nowTicks);
        return ahead.signum() <= 0 ? 0 : ceilDiv(ahead, BigInteger.valueOf(limit)).longValueExact();
    }

    private static BigInteger nanos(Instant instant) {
        // Fits a long until 2262; the product with the limit is what needs BigInteger.
        return BigInteger.valueOf(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L),
                instant.getNano()));
    }

    private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }
}
