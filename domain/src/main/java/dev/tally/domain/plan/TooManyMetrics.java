package dev.tally.domain.plan;

import dev.tally.domain.Refusal;
import java.time.Instant;

/**
 * A write refused because it would give the user more distinct metrics in the period than its
 * bound allows (R67); nothing was written. Over HTTP it is {@code 422 too_many_metrics}.
 *
 * @param metric     the new metric that found no room
 * @param maxMetrics the bound: the plan's {@code max_metrics}, or the server's default
 * @param fromPlan   whether the plan set the bound (else the server's default applies)
 * @param resetsAt   when the period ends, and with it the count
 */
public record TooManyMetrics(MetricKey metric, int maxMetrics, PlanId plan, boolean fromPlan, Instant resetsAt)
        implements Refusal {

    @Override
    public String code() {
        return "too_many_metrics";
    }

    @Override
    public String message() {
        String bound = fromPlan ? "plan " + plan + " sets max_metrics to " + maxMetrics
                : "plan " + plan + " sets no max_metrics, so the server's default of " + maxMetrics + " applies";
        return "A user may record at most " + maxMetrics + " distinct metrics per billing period (" + bound
                + "); " + metric + " would be one more. Metrics the plan declares always fit; the count resets at "
                + resetsAt + ".";
    }
}
