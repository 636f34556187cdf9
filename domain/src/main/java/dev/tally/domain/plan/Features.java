package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A plan's features by key (R73), in the order they were given. A key has the form of a metric
 * key ({@code [a-z][a-z0-9_.]{0,62}}); a plan or an override names at most 100.
 */
public record Features(Map<String, Feature> byKey) {

    /** The most features one plan or override names. */
    public static final int MAX_FEATURES = 100;

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_.]{0,62}");

    public Features {
        Objects.requireNonNull(byKey, "byKey");
        if (byKey.size() > MAX_FEATURES) {
            throw DomainException.invalid("invalid_feature", "features takes at most " + MAX_FEATURES + " keys");
        }
        Map<String, Feature> copy = new LinkedHashMap<>();
        byKey.forEach((key, feature) -> copy.put(checkedKey(key), Objects.requireNonNull(feature, "feature")));
        byKey = Collections.unmodifiableMap(copy);
    }

    /** {@code key} as a feature's key, else {@code 400 invalid_feature}. */
    public static String checkedKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw DomainException.invalid("invalid_feature", "a feature's key must match [a-z][a-z0-9_.]{0,62}: "
                    + key);
        }
        return key;
    }

    /** No features. */
    public static Features none() {
        return new Features(Map.of());
    }

    /** The feature {@code key}, if named. */
    public Optional<Feature> of(String key) {
        return Optional.ofNullable(byKey.get(key));
    }
}
