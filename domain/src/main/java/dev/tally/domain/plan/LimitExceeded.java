package dev.tally.domain.plan;

import dev.tally.domain.Refusal;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A denial (R12): the metric, what is used and reserved in the period, the limit, what was
 * requested, the plan, and when the period resets. Over HTTP it becomes {@code 403} with
 * {@code "error": "<metric>_limit_exceeded"}.
 */
public record LimitExceeded(MetricKey metric, BigDecimal used, BigDecimal reserved, BigDecimal limit,
                            BigDecimal requested, PlanId plan, Instant resetsAt)
        implements LimitDecision, Refusal {

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
        return "The " + metric + " limit of plan " + plan + " is " + limit.toPlainString() + " per period; "
                + currentUsage().toPlainString() + " used, " + requested.toPlainString()
                + " requested. The period resets at " + resetsAt + ".";
    }
}
