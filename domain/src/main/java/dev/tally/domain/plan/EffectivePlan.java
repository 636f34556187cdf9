package dev.tally.domain.plan;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A user's plan as it is in force at an instant (R73): the plan with an applying override layered
 * over it key by key, and where each overridden key came from. Everything that enforces, checks
 * or shows a limit reads {@link #plan()}; a key the override does not name falls back to the plan.
 * The one place an override meets a plan: a new kind of term is layered here, by one more key.
 *
 * @param plan       the plan in force, keeping the plan's id
 * @param overridden the keys whose value the override gave, by the plan's section they replace
 */
public record EffectivePlan(Plan plan, Map<Section, Set<String>> overridden) {

    /** The parts of a plan an override may replace key by key. */
    public enum Section { LIMITS, ALLOCATIONS, FEATURES }

    public EffectivePlan {
        Objects.requireNonNull(plan, "plan");
        overridden = Map.copyOf(overridden);
    }

    /** {@code plan} as it is for a user without an override. */
    public static EffectivePlan of(Plan plan) {
        return new EffectivePlan(plan, Map.of());
    }

    /**
     * {@code plan} with {@code override} layered over it when the override applies at {@code at}
     * (an expired one stops applying at its instant). A key the plan names in another section (an
     * override's limit of a metric the plan allocates) keeps the plan's value.
     */
    public static EffectivePlan at(Plan plan, Optional<PlanOverride> override, Instant at) {
        Optional<PlanOverride> applying = override.filter(o -> o.appliesAt(at));
        if (applying.isEmpty() || applying.get().isEmpty()) {
            return of(plan);
        }
        PlanOverride top = applying.get();
        Map<Section, Set<String>> overridden = new LinkedHashMap<>();
        Map<MetricKey, Limit> limits = layer(plan.limits().byMetric(), top.limits().byMetric(),
                metric -> !plan.allocates(metric) && !plan.features().byKey().containsKey(metric.value()),
                MetricKey::value, Section.LIMITS, overridden);
        Map<MetricKey, Limit> allocations = layer(plan.allocations().byMetric(), top.allocations().byMetric(),
                metric -> !plan.limits().byMetric().containsKey(metric)
                        && !plan.features().byKey().containsKey(metric.value()),
                MetricKey::value, Section.ALLOCATIONS, overridden);
        Map<String, Feature> features = layer(plan.features().byKey(), top.features().byKey(),
                key -> !limits.containsKey(new MetricKey(key)) && !allocations.containsKey(new MetricKey(key)),
                Function.identity(), Section.FEATURES, overridden);
        Plan effective = new Plan(plan.id(), plan.name(), new PlanLimits(limits), plan.maxFileSizeMb(),
                plan.warningThresholdPercent(), new PlanLimits(allocations), plan.alerts(), plan.maxMetrics(),
                plan.displayNames(), new Features(features));
        return new EffectivePlan(effective, overridden);
    }

    /** {@code base} with each key of {@code top} that {@code fits} replacing or joining it. */
    private static <K, V> Map<K, V> layer(Map<K, V> base, Map<K, V> top, java.util.function.Predicate<K> fits,
                                          Function<K, String> name, Section section,
                                          Map<Section, Set<String>> overridden) {
        Map<K, V> layered = new LinkedHashMap<>(base);
        Set<String> keys = new java.util.TreeSet<>();
        top.forEach((key, value) -> {
            if (fits.test(key)) {
                layered.put(key, value);
                keys.add(name.apply(key));
            }
        });
        if (!keys.isEmpty()) {
            overridden.put(section, Collections.unmodifiableSet(keys));
        }
        return layered;
    }

    /** Where the limit of {@code metric} comes from. */
    public Source limitSource(MetricKey metric) {
        return sourceOf(Section.LIMITS, metric.value());
    }

    /** Where the limit of allocation {@code metric} comes from. */
    public Source allocationSource(MetricKey metric) {
        return sourceOf(Section.ALLOCATIONS, metric.value());
    }

    /** Where the limit of {@code metric} comes from, as an allocation when the plan in force allocates it. */
    public Source sourceOf(MetricKey metric) {
        return plan.allocates(metric) ? allocationSource(metric) : limitSource(metric);
    }

    /** Where feature {@code key} comes from. */
    public Source featureSource(String key) {
        return sourceOf(Section.FEATURES, key);
    }

    private Source sourceOf(Section section, String key) {
        return overridden.getOrDefault(section, Set.of()).contains(key) ? Source.OVERRIDE : Source.PLAN;
    }
}
