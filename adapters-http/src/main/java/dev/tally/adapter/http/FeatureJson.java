package dev.tally.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.domain.plan.Feature;
import dev.tally.domain.plan.Features;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Features on the wire (R73): {@code true}/{@code false} for a boolean feature, a number or a
 * short text for a configuration value. Any other kind (an object, a list, null) is
 * {@code 400 invalid_feature} naming the field.
 */
final class FeatureJson {

    private FeatureJson() {
    }

    /** The features as sent, each one read and checked in full before the next (R64). */
    static Features features(Map<String, JsonNode> sent, String field) {
        Map<String, Feature> parsed = new LinkedHashMap<>();
        if (sent != null) {
            sent.forEach((key, value) -> {
                Features.checkedKey(key);
                parsed.put(key, feature(field + "." + key, value));
            });
        }
        return new Features(parsed);
    }

    private static Feature feature(String field, JsonNode value) {
        if (value != null && value.isBoolean()) {
            return Feature.flag(value.booleanValue());
        }
        if (value != null && value.isNumber()) {
            return Feature.number(value.decimalValue());
        }
        if (value != null && value.isTextual()) {
            return Feature.text(value.textValue());
        }
        throw ApiException.badField("invalid_feature", field, "Field '" + field + "' must be true, false, a number"
                + " or a text of 1-" + Feature.MAX_TEXT_LENGTH + " characters; a feature has no other kind.");
    }

    /** The features as every answer shows them, by key in the order given. */
    static Map<String, Object> shown(Features features) {
        Map<String, Object> shown = new LinkedHashMap<>();
        features.byKey().forEach((key, feature) -> shown.put(key, value(feature)));
        return shown;
    }

    /** {@code true}/{@code false}, the number or the text. */
    static Object value(Feature feature) {
        if (feature instanceof Feature.Flag flag) {
            return flag.enabled();
        }
        if (feature instanceof Feature.Number number) {
            return number.value();
        }
        return ((Feature.Text) feature).value();
    }
}
