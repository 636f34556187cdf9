package dev.tally.domain.entitlement;

import dev.tally.domain.plan.Feature;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.Source;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user's plan in force grants of one feature (R73): on or off, or its configuration value,
 * and whether the plan or an override of it says so.
 */
public record FeatureEntitlement(String key, Feature feature, Source source) {

    public FeatureEntitlement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(source, "source");
    }

    /** Feature {@code key} of {@code plan}, if the plan in force names it. */
    public static Optional<FeatureEntitlement> of(Plan plan, String key) {
        return plan.features().of(key).map(feature -> new FeatureEntitlement(key, feature, plan.featureSource(key)));
    }

    /** Every feature of {@code plan}, by key. */
    public static List<FeatureEntitlement> all(Plan plan) {
        return plan.features().byKey().keySet().stream().sorted()
                .map(key -> of(plan, key).orElseThrow()).toList();
    }
}
