package dev.tally.adapter.jdbc;

import dev.tally.domain.plan.Feature;
import dev.tally.domain.plan.Features;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.plan.PlanOverride;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Features and overrides (R73) as the schema keeps them: one {@code key=value} line each. Keys
 * never hold {@code =} and values never hold a line break, so the text reads back as written.
 */
final class PlanTermsText {

    private PlanTermsText() {
    }

    /** The features as lines, NULL for none. */
    static String features(Features features) {
        if (features.byKey().isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        features.byKey().forEach((key, feature) -> line(text, key, feature(feature)));
        return text.toString();
    }

    /** The features stored as {@link #features(Features)} writes them. */
    static Features features(String stored) {
        Map<String, Feature> features = new LinkedHashMap<>();
        lines(stored, (key, value) -> features.put(key, feature(value)));
        return new Features(features);
    }

    /** An override's limits, allocations and features as lines. */
    static String override(PlanOverride override) {
        StringBuilder text = new StringBuilder();
        override.limits().byMetric().forEach((metric, limit) -> line(text, "limit:" + metric.value(), limit(limit)));
        override.allocations().byMetric().forEach((metric, limit) ->
                line(text, "allocation:" + metric.value(), limit(limit)));
        override.features().byKey().forEach((key, feature) -> line(text, "feature:" + key, feature(feature)));
        return text.toString();
    }

    /** The override stored as {@link #override(PlanOverride)} writes it. */
    static PlanOverride override(String stored, Optional<Instant> expiresAt) {
        Map<MetricKey, Limit> limits = new LinkedHashMap<>();
        Map<MetricKey, Limit> allocations = new LinkedHashMap<>();
        Map<String, Feature> features = new LinkedHashMap<>();
        lines(stored, (key, value) -> {
            int colon = key.indexOf(':');
            String section = key.substring(0, colon);
            String name = key.substring(colon + 1);
            switch (section) {
                case "limit" -> limits.put(new MetricKey(name), limit(value));
                case "allocation" -> allocations.put(new MetricKey(name), limit(value));
                case "feature" -> features.put(name, feature(value));
                default -> throw new IllegalStateException("unknown override line " + key);
            }
        });
        return new PlanOverride(new PlanLimits(limits), new PlanLimits(allocations), new Features(features), expiresAt);
    }

    private static void line(StringBuilder text, String key, String value) {
        if (!text.isEmpty()) {
            text.append('\n');
        }
        text.append(key).append('=').append(value);
    }

    private static void lines(String stored, java.util.function.BiConsumer<String, String> each) {
        if (stored == null || stored.isEmpty()) {
            return;
        }
        for (String line : stored.split("\n")) {
            int eq = line.indexOf('=');
            each.accept(line.substring(0, eq), line.substring(eq + 1));
        }
    }

    private static String limit(Limit limit) {
        return limit.max().map(BigDecimal::toPlainString).orElse("unlimited");
    }

    private static Limit limit(String value) {
        return value.equals("unlimited") ? Limit.unlimited() : Limit.of(new BigDecimal(value));
    }

    private static String feature(Feature feature) {
        if (feature instanceof Feature.Flag flag) {
            return "b:" + flag.enabled();
        }
        if (feature instanceof Feature.Number number) {
            return "n:" + number.value().toPlainString();
        }
        return "s:" + ((Feature.Text) feature).value();
    }

    private static Feature feature(String value) {
        String body = value.substring(2);
        return switch (value.charAt(0)) {
            case 'b' -> Feature.flag(Boolean.parseBoolean(body));
            case 'n' -> Feature.number(new BigDecimal(body));
            case 's' -> Feature.text(body);
            default -> throw new IllegalStateException("unknown feature value " + value);
        };
    }
}
