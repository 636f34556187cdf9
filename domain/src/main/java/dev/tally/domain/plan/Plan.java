package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import dev.tally.domain.period.BillingPeriod;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * A named set of limits per metric, a per-item cap on file size, the threshold at which a
 * metric turns to {@code warning} and when users are alerted (R11, R15, R16, R75). A monthly
 * budget is simply the limit of {@link MetricKey#COST_USD}.
 */
public record Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                   int warningThresholdPercent, PlanAlerts alerts) {

    /** The default warning threshold (R15). */
    public static final int DEFAULT_WARNING_THRESHOLD_PERCENT = 80;

    public Plan {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(maxFileSizeMb, "maxFileSizeMb");
        Objects.requireNonNull(alerts, "alerts");
        name = name == null || name.isBlank() ? id.value() : name;
        if (name.length() > 200) {
            throw DomainException.invalid("invalid_plan", "plan name is longer than 200 characters");
        }
        maxFileSizeMb = maxFileSizeMb.map(cap -> Money.quantity(cap, "max_file_size_mb"));
        if (maxFileSizeMb.filter(cap -> cap.signum() < 0).isPresent()) {
            throw DomainException.invalid("invalid_plan", "max_file_size_mb cannot be negative");
        }
        if (warningThresholdPercent < 1 || warningThresholdPercent > 100) {
            throw DomainException.invalid("invalid_plan", "warning_threshold_percent must be 1-100");
        }
    }

    /** A plan with the default alerts (R75). */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, PlanAlerts.DEFAULT);
    }

    /** This plan with {@code alerts} instead of its own. */
    public Plan withAlerts(PlanAlerts alerts) {
        return new Plan(id, name, limits, maxFileSizeMb, warningThresholdPercent, alerts);
    }

    /** A plan with these limits, no file-size cap and the default warning threshold. */
    public static Plan of(PlanId id, String name, PlanLimits limits) {
        return new Plan(id, name, limits, Optional.empty(), DEFAULT_WARNING_THRESHOLD_PERCENT);
    }

    /** The limit of {@code metric}; unlimited when the plan does not name it. */
    public Limit limitOf(MetricKey metric) {
        return limits.limitOf(metric);
    }

    /**
     * Decides a request for {@code requested} more of {@code metric} (R11): allowed iff
     * {@code used + reserved + requested <= limit}.
     */
    public LimitDecision decide(MetricKey metric, BigDecimal used, BigDecimal reserved, BigDecimal requested,
                                BillingPeriod period) {
        Limit limit = limitOf(metric);
        if (limit.admits(used.add(reserved).add(requested))) {
            return LimitDecision.allowed();
        }
        return new LimitExceeded(metric, used, reserved, limit.max().orElseThrow(), requested, id, period.resetsAt());
    }

    /** Checks one item against the per-item file-size cap (R16); caps are never summed. */
    public Optional<FileSizeLimitExceeded> checkFileSize(BigDecimal fileSizeMb) {
        return maxFileSizeMb
                .filter(cap -> fileSizeMb.compareTo(cap) > 0)
                .map(cap -> new FileSizeLimitExceeded(fileSizeMb, cap, id));
    }

    /** Shows {@code used} and {@code reserved} of {@code metric} against this plan (R15). */
    public MetricUsage usageOf(MetricKey metric, BigDecimal used, BigDecimal reserved) {
        return MetricUsage.of(metric, used, reserved, limitOf(metric), warningThresholdPercent);
    }
}
