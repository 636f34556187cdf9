package dev.tally.domain.health;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Health over a recent window (R51): requests, client errors (4xx, quota denials included),
 * server errors (5xx) and the server error rate in percent. Above 10 % is {@code critical}, above
 * 5 % {@code warning}, else {@code healthy}; no requests is {@code healthy}. Client errors never
 * make the service look unhealthy.
 *
 * @param errorRate server errors × 100 / requests, two decimals half-up
 */
public record HealthReport(HealthStatus status, long windowSeconds, long requests, long clientErrors,
                           long serverErrors, BigDecimal errorRate) {

    private static final BigDecimal CRITICAL_ABOVE = BigDecimal.TEN;
    private static final BigDecimal WARNING_ABOVE = BigDecimal.valueOf(5);

    public HealthReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(errorRate, "errorRate");
    }

    /** Classifies the counts of one window. */
    public static HealthReport of(long windowSeconds, long requests, long clientErrors, long serverErrors) {
        if (requests < 0 || clientErrors < 0 || serverErrors < 0 || clientErrors + serverErrors > requests) {
            throw new IllegalArgumentException("inconsistent request counts");
        }
        BigDecimal rate = requests == 0
                ? BigDecimal.ZERO.setScale(2)
                : BigDecimal.valueOf(serverErrors * 100).divide(BigDecimal.valueOf(requests), 2, RoundingMode.HALF_UP);
        HealthStatus status;
        if (rate.compareTo(CRITICAL_ABOVE) > 0) {
            status = HealthStatus.CRITICAL;
        } else if (rate.compareTo(WARNING_ABOVE) > 0) {
            status = HealthStatus.WARNING;
        } else {
            status = HealthStatus.HEALTHY;
        }
        return new HealthReport(status, windowSeconds, requests, clientErrors, serverErrors, rate);
    }
}
