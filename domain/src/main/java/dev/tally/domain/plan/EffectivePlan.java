package dev.tally.domain.plan;

import dev.tally.domain.plan.Overridden.Section;
import dev.tally.domain.rate.MetricRate;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A user's plan as it is in force at an instant (R73): the plan with an applying override layered
 * over it key by key. Everything that enforces, checks or shows a limit reads the plan this
 * returns; a key the override does not name falls back to the plan, and the result says which
 * keys it replaced ({@link Plan#overridden()}). The one place an override meets a plan: a new kind
 * of term is layered here by one more {@code layer} call.
 */
public final class EffectivePlan {

    /** The key under which an override of the credits every period is named ({@link Section#CREDITS_PER_PERIOD}). */
    public static final String CREDITS_PER_PERIOD = "credits_per_period";

    private EffectivePlan() {
    }

    /**
     * {@code plan} with {@code override} layered over it when the override applies at {@code at}
     * (an expired one stops applying at its instant). A key the plan names in another section (an
     * override's limit of a metric the plan allocates) keeps the plan's value.
     */
    public static Plan at(Plan plan, Optional<PlanOverride> override, Instant at) {
        Optional<PlanOverride> applying = override.filter(o -> o.appliesAt(at));
        if (applying.isEmpty() || applying.get().isEmpty()) {
            return plan;
        }
        PlanOverride top = applying.get();
        Map<Section, Set<String>> overridden = new EnumMap<>(Section.class);
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
        Map<MetricKey, MetricRate> rates = layer(plan.rateLimits().byMetric(), top.rateLimits().byMetric(),
                metric -> !allocations.containsKey(metric), MetricKey::value, Section.RATE_LIMITS, overridden);
        top.creditsPerPeriod().ifPresent(credits -> overridden.put(Section.CREDITS_PER_PERIOD,
                Set.of(CREDITS_PER_PERIOD)));
        return new Plan(plan.id(), plan.name(), new PlanLimits(limits), plan.maxFileSizeMb(),
                plan.warningThresholdPercent(), new PlanLimits(allocations), plan.alerts(), plan.maxMetrics(),
                plan.displayNames(), new Features(features), new Overridden(overridden),
                top.creditsPerPeriod().or(plan::creditsPerPeriod), new MetricRates(rates), plan.creditPrices());
    }

    /** {@code base} with each key of {@code top} that {@code fits} replacing or joining it. */
    private static <K, V> Map<K, V> layer(Map<K, V> base, Map<K, V> top, Predicate<K> fits,
                                          Function<K, String> name, Section section,
                                          Map<Section, Set<String>> overridden) {
        Map<K, V> layered = new LinkedHashMap<>(base);
        Set<String> keys = new TreeSet<>();
        top.forEach((key, value) -> {
            if (fits.test(key)) {
                layered.put(key, value);
                keys.add(name.apply(key));
            }
        });
        if (!keys.isEmpty()) {
            overridden.put(section, keys);
        }
        return layered;
    }
}
