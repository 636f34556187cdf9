package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import dev.tally.domain.Money;
import dev.tally.domain.period.BillingPeriod;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A named set of limits per metric, a per-item cap on file size, the threshold at which a
 * metric turns to {@code warning} and when users are alerted (R11, R15, R16, R75). A monthly
 * budget is simply the limit of {@link MetricKey#COST_USD}. {@code allocations} limit current
 * counts that no period resets (seats, projects, stored gigabytes; R72); a metric is either
 * metered or an allocation, never both. {@code maxMetrics} bounds the distinct metrics a user
 * may have per period (R67); when empty, the server's default applies. {@code displayNames} are
 * the names its metrics are shown by where a person reads them; a metric without one is shown
 * by its key. {@code features} are what it grants beside limits, on or off or a configuration
 * value (R73); a key is either a metric or a feature, never both. {@code overridden} names the
 * keys a user's override replaced in the plan as it is in force for that user (R73); it is
 * {@link Overridden#NONE} for a plan as the operator defined it. {@code creditsPerPeriod} are the
 * credits it grants every period (R37). {@code rateLimits} cap how fast a metered metric may be
 * recorded, beside its per-period limit (R90); an allocation has no rate. {@code creditPrices} make
 * every enforced record of a metered metric also spend credits (R38); an allocation has no price.
 */
public record Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                   int warningThresholdPercent, PlanLimits allocations, PlanAlerts alerts, OptionalInt maxMetrics,
                   DisplayNames displayNames, Features features, Overridden overridden,
                   Optional<CreditsPerPeriod> creditsPerPeriod, MetricRates rateLimits, CreditPrices creditPrices) {

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
        Objects.requireNonNull(allocations, "allocations");
        allocations.byMetric().forEach((metric, limit) -> {
            if (limits.byMetric().containsKey(metric)) {
                throw DomainException.invalid("invalid_plan", metric + " is listed both as a limit and as an allocation");
            }
            checkedAllocation(metric, limit);
        });
        Objects.requireNonNull(maxMetrics, "maxMetrics");
        maxMetrics.ifPresent(max -> MetricBound.checked(max, "max_metrics"));
        Objects.requireNonNull(displayNames, "displayNames");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(overridden, "overridden");
        Objects.requireNonNull(creditsPerPeriod, "creditsPerPeriod");
        features.byKey().keySet().forEach(key -> {
            if (limits.byMetric().containsKey(new MetricKey(key)) || allocations.byMetric().containsKey(new MetricKey(key))) {
                throw DomainException.invalid("invalid_feature", key + " is listed both as a metric and as a feature");
            }
        });
        Objects.requireNonNull(rateLimits, "rateLimits");
        rateLimits.byMetric().keySet().forEach(metric -> {
            if (allocations.byMetric().containsKey(metric)) {
                throw DomainException.invalid("invalid_rate_limit", metric + " is an allocation, a current count;"
                        + " only a metered metric can have a rate limit");
            }
        });
        Objects.requireNonNull(creditPrices, "creditPrices");
        creditPrices.byMetric().keySet().forEach(metric -> {
            if (allocations.byMetric().containsKey(metric)) {
                throw DomainException.invalid("invalid_credit_price", metric + " is an allocation, a current count;"
                        + " only a metered metric can have a credit price");
            }
        });
    }

    /** A plan whose metrics cost no credits (R38), with these rate limits. */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent, PlanLimits allocations, PlanAlerts alerts, OptionalInt maxMetrics,
                DisplayNames displayNames, Features features, Overridden overridden,
                Optional<CreditsPerPeriod> creditsPerPeriod, MetricRates rateLimits) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics, displayNames,
                features, overridden, creditsPerPeriod, rateLimits, CreditPrices.none());
    }

    /** A plan without rate limits (R90), with these features, overridden keys and credits every period. */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent, PlanLimits allocations, PlanAlerts alerts, OptionalInt maxMetrics,
                DisplayNames displayNames, Features features, Overridden overridden,
                Optional<CreditsPerPeriod> creditsPerPeriod) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics, displayNames,
                features, overridden, creditsPerPeriod, MetricRates.none());
    }

    /** A plan that grants no credits every period, with these features and overridden keys. */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent, PlanLimits allocations, PlanAlerts alerts, OptionalInt maxMetrics,
                DisplayNames displayNames, Features features, Overridden overridden) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics, displayNames,
                features, overridden, Optional.empty());
    }

    /** A plan as the operator defined it, with these features and nothing overridden (R73). */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent, PlanLimits allocations, PlanAlerts alerts, OptionalInt maxMetrics,
                DisplayNames displayNames, Features features) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics, displayNames,
                features, Overridden.NONE);
    }

    /** A plan without features (R73). */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent, PlanLimits allocations, PlanAlerts alerts, OptionalInt maxMetrics,
                DisplayNames displayNames) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics, displayNames,
                Features.none());
    }

    /** A plan whose metrics are all shown by their keys. */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent, PlanLimits allocations, PlanAlerts alerts, OptionalInt maxMetrics) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics,
                DisplayNames.none());
    }

    /**
     * {@code limit} as the limit of allocation {@code metric} (R72): allocations count whole units,
     * so a fraction is {@code 400 invalid_limit}.
     */
    public static Limit checkedAllocation(MetricKey metric, Limit limit) {
        if (limit.max().filter(max -> max.scale() > 0).isPresent()) {
            throw DomainException.invalid("invalid_limit", "allocation " + metric + " counts whole units; its"
                    + " limit cannot be " + limit);
        }
        return limit;
    }

    /** A plan with these allocations and alerts, and the server's default bound of metrics (R67). */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent, PlanLimits allocations, PlanAlerts alerts) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, OptionalInt.empty());
    }

    /** A plan without allocations and with the default alerts (R72, R75). */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, PlanLimits.none(), PlanAlerts.DEFAULT);
    }

    /** A plan with these allocations and the default alerts (R72, R75). */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent, PlanLimits allocations) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, PlanAlerts.DEFAULT);
    }

    /** A plan without allocations and with these alerts (R72, R75). */
    public Plan(PlanId id, String name, PlanLimits limits, Optional<BigDecimal> maxFileSizeMb,
                int warningThresholdPercent, PlanAlerts alerts) {
        this(id, name, limits, maxFileSizeMb, warningThresholdPercent, PlanLimits.none(), alerts);
    }

    /** This plan with {@code allocations} instead of its own. */
    public Plan withAllocations(PlanLimits allocations) {
        return new Plan(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics,
                displayNames, features, overridden, creditsPerPeriod, rateLimits, creditPrices);
    }

    /** This plan with {@code maxMetrics} distinct metrics per user and period (R67). */
    public Plan withMaxMetrics(int maxMetrics) {
        return new Plan(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts,
                OptionalInt.of(maxMetrics), displayNames, features, overridden, creditsPerPeriod, rateLimits,
                creditPrices);
    }

    /**
     * The bound of distinct metrics per period for this plan's users (R67): its {@code maxMetrics},
     * else {@code serverDefault}; the metrics it names as limits or allocations, and Tally's own,
     * always fit.
     */
    public MetricBound metricBound(int serverDefault) {
        Set<MetricKey> declared = new HashSet<>(MetricBound.TALLYS_OWN);
        declared.addAll(limits.byMetric().keySet());
        declared.addAll(allocations.byMetric().keySet());
        return new MetricBound(maxMetrics.orElse(serverDefault), declared);
    }

    /** Whether the plan lists {@code metric} under its allocations (R72). */
    public boolean allocates(MetricKey metric) {
        return allocations.byMetric().containsKey(metric);
    }

    /**
     * The limit of allocation {@code metric} (R72); {@code 0} when the plan does not list it, so
     * that a value kept from an earlier plan may fall but not rise.
     */
    public Limit allocationLimitOf(MetricKey metric) {
        return allocations.byMetric().getOrDefault(metric, Limit.of(0));
    }

    /** Shows the current {@code value} of allocation {@code metric} against this plan (R15, R72). */
    public MetricUsage allocationOf(MetricKey metric, BigDecimal value) {
        return MetricUsage.of(metric, value, BigDecimal.ZERO, allocationLimitOf(metric), warningThresholdPercent)
                .from(overridden.sourceOf(Overridden.Section.ALLOCATIONS, metric.value()));
    }

    /**
     * The allocations at {@code values} as every page shows them: each one the plan lists and each
     * one with a value (kept from an earlier plan), by metric.
     */
    public List<MetricUsage> allocationsAt(Map<MetricKey, BigDecimal> values) {
        Set<MetricKey> metrics = new TreeSet<>(allocations.byMetric().keySet());
        values.forEach((metric, value) -> {
            if (value.signum() != 0) {
                metrics.add(metric);
            }
        });
        return metrics.stream()
                .map(metric -> allocationOf(metric, values.getOrDefault(metric, BigDecimal.ZERO)))
                .toList();
    }

    /**
     * Decides {@code requested} more of allocation {@code metric} at its current {@code value}:
     * allowed iff {@code value + requested <= limit}. A denial has no {@code resetsAt}, since an
     * allocation never resets.
     */
    public LimitDecision decideAllocation(MetricKey metric, BigDecimal value, BigDecimal requested) {
        Limit limit = allocationLimitOf(metric);
        if (limit.admission(requested).admits(value)) {
            return LimitDecision.allowed();
        }
        return LimitExceeded.ofAllocation(metric, value, limit.max().orElseThrow(), requested, id);
    }

    /** This plan with {@code alerts} instead of its own. */
    public Plan withAlerts(PlanAlerts alerts) {
        return new Plan(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics,
                displayNames, features, overridden, creditsPerPeriod, rateLimits, creditPrices);
    }

    /** This plan with {@code displayNames} instead of its own. */
    public Plan withDisplayNames(DisplayNames displayNames) {
        return new Plan(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics,
                displayNames, features, overridden, creditsPerPeriod, rateLimits, creditPrices);
    }

    /** This plan with {@code features} instead of its own (R73). */
    public Plan withFeatures(Features features) {
        return new Plan(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics,
                displayNames, features, overridden, creditsPerPeriod, rateLimits, creditPrices);
    }

    /** This plan with {@code limits} instead of its own. */
    public Plan withLimits(PlanLimits limits) {
        return new Plan(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics,
                displayNames, features, overridden, creditsPerPeriod, rateLimits, creditPrices);
    }

    /** This plan granting {@code credits} every period (R37), or none. */
    public Plan withCreditsPerPeriod(Optional<CreditsPerPeriod> credits) {
        return new Plan(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics,
                displayNames, features, overridden, credits, rateLimits, creditPrices);
    }

    /** This plan with {@code rateLimits} instead of its own (R90). */
    public Plan withRateLimits(MetricRates rateLimits) {
        return new Plan(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics,
                displayNames, features, overridden, creditsPerPeriod, rateLimits, creditPrices);
    }

    /** This plan with {@code creditPrices} instead of its own (R38). */
    public Plan withCreditPrices(CreditPrices creditPrices) {
        return new Plan(id, name, limits, maxFileSizeMb, warningThresholdPercent, allocations, alerts, maxMetrics,
                displayNames, features, overridden, creditsPerPeriod, rateLimits, creditPrices);
    }

    /** Where the limit of {@code metric} comes from, as an allocation when this plan allocates it (R73). */
    public Source sourceOf(MetricKey metric) {
        return overridden.sourceOf(allocates(metric) ? Overridden.Section.ALLOCATIONS : Overridden.Section.LIMITS,
                metric.value());
    }

    /** Where feature {@code key} comes from (R73). */
    public Source featureSource(String key) {
        return overridden.sourceOf(Overridden.Section.FEATURES, key);
    }

    /** The name {@code metric} is shown by where a person reads it: its display name, else its key. */
    public String displayName(MetricKey metric) {
        return displayNames.of(metric);
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
        if (limit.admission(requested).admits(used, reserved)) {
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
        return MetricUsage.of(metric, used, reserved, limitOf(metric), warningThresholdPercent)
                .from(overridden.sourceOf(Overridden.Section.LIMITS, metric.value()));
    }
}
