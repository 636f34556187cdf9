package dev.tally.domain.plan;

import dev.tally.domain.Refusal;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A denial (R12): the metric, what is used and reserved in the period, the limit, what was
 * requested, the plan, and when the period resets. Over HTTP it becomes {@code 403} with
 * {@code "error": "<metric>_limit_exceeded"}. For an allocation (R72), {@code used} is its current
 * value and {@code resetsAt} is null: an allocation never resets.
 */
public record LimitExceeded(MetricKey metric, BigDecimal used, BigDecimal reserved, BigDecimal limit,
                            BigDecimal requested, PlanId plan, Instant resetsAt)
        implements LimitDecision, Refusal {

    /** The denial of {@code requested} more of an allocation now at {@code value} (R72): it never resets. */
    public static LimitExceeded ofAllocation(MetricKey metric, BigDecimal value, BigDecimal limit, BigDecimal requested,
                                             PlanId plan) {
        return new LimitExceeded(metric, value, BigDecimal.ZERO, limit, requested, plan, null);
    }

    /** Used plus reserved: what the request was added to. */
    public BigDecimal currentUsage() {
        return used.add(reserved);
    }

    @Override
    public String code() {
        return metric.value() + "_limit_exceeded";
    }

    @Override
    public String message() {
        if (resetsAt == null) {
            return "The " + metric + " allocation of plan " + plan + " is at most " + limit.toPlainString() + "; "
                    + used.toPlainString() + " in use, " + requested.toPlainString() + " more requested.";
        }
        return "The " + metric + " limit of plan " + plan + " is " + limit.toPlainString() + " per period; "
                + currentUsage().toPlainString() + " used, " + requested.toPlainString()
                + " requested. The period resets at " + resetsAt + ".";
    }
}
