package dev.tally.domain.plan;

import dev.tally.domain.Refusal;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.rate.RateDecision;
import java.util.Objects;

/**
 * A write refused by a plan's rate limit (R91), as a value: over HTTP {@code 429 rate_limited}
 * with {@code Retry-After} and the exact wait.
 *
 * @param metric  the metric whose rate refused
 * @param refused the decision, with the rate and the wait
 * @param plan    the plan whose rate it is
 */
public record RateLimited(MetricKey metric, RateDecision.Refused refused, PlanId plan) implements Refusal {

    public RateLimited {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(refused, "refused");
        Objects.requireNonNull(plan, "plan");
    }

    @Override
    public String code() {
        return "rate_limited";
    }

    @Override
    public String message() {
        MetricRate rate = refused.rate();
        String bound = metric + " may be recorded at most " + rate.limit() + " per " + rate.perSeconds() + " s"
                + (rate.burst() > 0 ? " (burst " + rate.burst() + ")" : "") + " on plan " + plan.value();
        return refused.retryAfterMillis()
                .map(ms -> bound + "; retry after " + ms + " ms.")
                .orElse(bound + "; this quantity is more than it admits at once (" + (rate.burst() + 1) + ").");
    }
}
