package dev.tally.domain.plan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * One metric of one period as every page shows it (R15): used, reserved, limit, remaining,
 * percent and status, all computed here once from the same numbers, so a progress bar can never
 * disagree with the figures beside it.
 *
 * @param limit     the limit, empty when unlimited
 * @param remaining {@code max(0, limit - used - reserved)}, empty when unlimited
 * @param percent   {@code used × 100 / limit} half-up to one decimal, may exceed 100; empty when unlimited
 * @param source    where the limit comes from: the plan or a per-user override (R73)
 */
public record MetricUsage(MetricKey metric, BigDecimal used, BigDecimal reserved, Optional<BigDecimal> limit,
                          Optional<BigDecimal> remaining, Optional<BigDecimal> percent, MetricStatus status,
                          Source source) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public MetricUsage {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(reserved, "reserved");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(remaining, "remaining");
        Objects.requireNonNull(percent, "percent");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }

    /** Figures whose limit is the plan's. */
    public MetricUsage(MetricKey metric, BigDecimal used, BigDecimal reserved, Optional<BigDecimal> limit,
                       Optional<BigDecimal> remaining, Optional<BigDecimal> percent, MetricStatus status) {
        this(metric, used, reserved, limit, remaining, percent, status, Source.PLAN);
    }

    /** The same figures with their limit from {@code source} (R73). */
    public MetricUsage from(Source source) {
        return new MetricUsage(metric, used, reserved, limit, remaining, percent, status, source);
    }

    /**
     * Computes the shown figures. With a limit of 0 the percent is 0 while nothing is used and
     * 100 once anything is, and the status is {@code exceeded} either way, since nothing more is
     * allowed.
     */
    public static MetricUsage of(MetricKey metric, BigDecimal used, BigDecimal reserved, Limit limit,
                                 int warningThresholdPercent) {
        if (limit.isUnlimited()) {
            return new MetricUsage(metric, used, reserved, Optional.empty(), Optional.empty(), Optional.empty(),
                    MetricStatus.OK);
        }
        BigDecimal max = limit.max().orElseThrow();
        BigDecimal remaining = max.subtract(used).subtract(reserved).max(BigDecimal.ZERO);
        BigDecimal percent;
        MetricStatus status;
        if (max.signum() == 0) {
            percent = used.signum() > 0 ? HUNDRED.setScale(1) : BigDecimal.ZERO.setScale(1);
            status = MetricStatus.EXCEEDED;
        } else {
            percent = used.multiply(HUNDRED).divide(max, 1, RoundingMode.HALF_UP);
            if (used.compareTo(max) >= 0) {
                status = MetricStatus.EXCEEDED;
            } else if (used.multiply(HUNDRED).compareTo(max.multiply(BigDecimal.valueOf(warningThresholdPercent))) >= 0) {
                status = MetricStatus.WARNING;
            } else {
                status = MetricStatus.OK;
            }
        }
        return new MetricUsage(metric, used, reserved, Optional.of(max), Optional.of(remaining), Optional.of(percent),
                status);
    }
}
