package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An operator's override of one user's plan (R73): limits, allocations, features and rate limits
 * that replace the plan's, key by key, and credits every period (R37) that replace the plan's, until
 * {@code expiresAt} if given. An expired override stops applying at
 * its instant, whether or not anything has removed it (as R71). It belongs to the user, not the
 * plan, so it survives plan changes. A key is either a metric or a feature, never both.
 */
public record PlanOverride(PlanLimits limits, PlanLimits allocations, Features features,
                           Optional<Instant> expiresAt, MetricRates rateLimits,
                           Optional<CreditsPerPeriod> creditsPerPeriod) {

    public PlanOverride {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(allocations, "allocations");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(creditsPerPeriod, "creditsPerPeriod");
        rateLimits.byMetric().keySet().forEach(metric -> {
            if (allocations.byMetric().containsKey(metric)) {
                throw DomainException.invalid("invalid_rate_limit", metric + " is an allocation, a current count;"
                        + " only a metered metric can have a rate limit");
            }
        });
        Set<String> metrics = new HashSet<>();
        limits.byMetric().keySet().forEach(metric -> metrics.add(metric.value()));
        allocations.byMetric().forEach((metric, limit) -> {
            if (!metrics.add(metric.value())) {
                throw DomainException.invalid("invalid_override", metric + " is listed both as a limit and as an"
                        + " allocation");
            }
            Plan.checkedAllocation(metric, limit);
        });
        features.byKey().keySet().forEach(key -> {
            if (metrics.contains(key)) {
                throw DomainException.invalid("invalid_override", key + " is listed both as a metric and as a"
                        + " feature");
            }
        });
    }

    /** An override that replaces nothing. */
    /** An override of limits, allocations and features only, the plan's rates and credits kept. */
    public PlanOverride(PlanLimits limits, PlanLimits allocations, Features features, Optional<Instant> expiresAt) {
        this(limits, allocations, features, expiresAt, MetricRates.none(), Optional.empty());
    }

    public static PlanOverride none() {
        return new PlanOverride(PlanLimits.none(), PlanLimits.none(), Features.none(), Optional.empty());
    }

    /**
     * This override as an operator sets it at {@code now}: an {@code expiresAt} that is not after
     * {@code now} is {@code 400 invalid_expires_at}, since it would never apply.
     */
    public PlanOverride checkedAt(Instant now) {
        if (expiresAt.filter(expiry -> !expiry.isAfter(now)).isPresent()) {
            throw DomainException.invalid("invalid_expires_at", "expires_at must be after now (" + now + "): "
                    + expiresAt.get());
        }
        return this;
    }

    /** Whether the override applies at {@code at}: until its expiry, exclusive. */
    public boolean appliesAt(Instant at) {
        return expiresAt.map(at::isBefore).orElse(true);
    }

    /** Whether it replaces nothing. */
    public boolean isEmpty() {
        return limits.byMetric().isEmpty() && allocations.byMetric().isEmpty() && features.byKey().isEmpty()
                && rateLimits.isEmpty() && creditsPerPeriod.isEmpty();
    }
}
