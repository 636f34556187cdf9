package dev.tally.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.plan.MetricRates;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A plan's {@code rate_limits} on the wire (R90): metric → {@code {"limit", "per_seconds",
 * "burst"?}}, read one metric at a time in the order sent, so that a refusal names the first
 * offending one (R64). Not the server's per-key request rate ({@link RateLimits}).
 */
final class PlanRateLimits {

    private static final Set<String> FIELDS = Set.of("limit", "per_seconds", "burst");

    private PlanRateLimits() {
    }

    /** The rates as sent; {@code null} is none. Bad input is {@code 400 invalid_rate_limit} naming its field. */
    static MetricRates parse(Map<String, JsonNode> sent) {
        Map<MetricKey, MetricRate> rates = new LinkedHashMap<>();
        if (sent != null) {
            sent.forEach((name, value) -> {
                MetricKey metric = new MetricKey(name);
                rates.put(metric, rate("rate_limits." + name, value));
            });
        }
        return new MetricRates(rates);
    }

    private static MetricRate rate(String field, JsonNode value) {
        if (value == null || !value.isObject()) {
            throw invalid(field, "Field '" + field + "' must be an object {\"limit\", \"per_seconds\", \"burst\"?}.");
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid(field + "." + name, "Field '" + field + "." + name + "' is not known; a rate limit has"
                        + " limit, per_seconds and burst.");
            }
        }
        long limit = whole(field + ".limit", value.get("limit"), true, MetricRate.MAX_CELLS);
        long perSeconds = whole(field + ".per_seconds", value.get("per_seconds"), true, MetricRate.MAX_PER_SECONDS);
        long burst = whole(field + ".burst", value.get("burst"), false, MetricRate.MAX_CELLS);
        try {
            return new MetricRate(limit, (int) perSeconds, burst);
        } catch (DomainException e) {
            throw invalid(field, e.getMessage());
        }
    }

    /** A whole number from 0 (1 for a limit or a window) to {@code max}; a missing optional one is 0. */
    private static long whole(String field, JsonNode value, boolean required, long max) {
        if (value == null || value.isNull()) {
            if (required) {
                throw invalid(field, "Field '" + field + "' is required.");
            }
            return 0;
        }
        return BoundedInput.whole(value, field, required ? 1 : 0, max, "a whole number", "", "invalid_rate_limit");
    }

    private static ApiException invalid(String field, String message) {
        return ApiException.badField("invalid_rate_limit", field, message);
    }

    /** A rate limit as a plan shows it. */
    record RateLimitBody(long limit, int perSeconds, long burst) {
        static RateLimitBody from(MetricRate rate) {
            return new RateLimitBody(rate.limit(), rate.perSeconds(), rate.burst());
        }
    }

    /** The plan's rate limits as shown, in their order. */
    static Map<String, RateLimitBody> shown(MetricRates rates) {
        Map<String, RateLimitBody> shown = new LinkedHashMap<>();
        rates.byMetric().forEach((metric, rate) -> shown.put(metric.value(), RateLimitBody.from(rate)));
        return shown;
    }
}
