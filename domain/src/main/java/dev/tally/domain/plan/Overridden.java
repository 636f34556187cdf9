package dev.tally.domain.plan;

import java.util.Map;
import java.util.Set;

/**
 * The keys of a plan that a user's override replaced, by the part of the plan they belong to
 * (R73): what lets every answer that shows a limit or feature say its {@code source}.
 */
public record Overridden(Map<Section, Set<String>> keys) {

    /** Nothing overridden: a plan as the operator defined it. */
    public static final Overridden NONE = new Overridden(Map.of());

    /** The parts of a plan an override may replace key by key. */
    public enum Section { LIMITS, ALLOCATIONS, FEATURES, RATE_LIMITS, CREDITS_PER_PERIOD }

    public Overridden {
        Map<Section, Set<String>> copy = new java.util.EnumMap<>(Section.class);
        keys.forEach((section, names) -> copy.put(section, Set.copyOf(names)));
        keys = Map.copyOf(copy);
    }

    /** Where key {@code key} of {@code section} comes from. */
    public Source sourceOf(Section section, String key) {
        return keys.getOrDefault(section, Set.of()).contains(key) ? Source.OVERRIDE : Source.PLAN;
    }
}
