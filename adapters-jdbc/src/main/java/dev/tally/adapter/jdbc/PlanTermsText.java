package dev.tally.adapter.jdbc;

import dev.tally.domain.plan.CreditPrices;
import dev.tally.domain.plan.CreditsPerPeriod;
import dev.tally.domain.plan.Feature;
import dev.tally.domain.plan.Features;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricRates;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.plan.PlanOverride;
import java.math.BigDecimal;
import dev.tally.domain.rate.MetricRate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
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
        override.rateLimits().byMetric().forEach((metric, rate) -> line(text, "rate:" + metric.value(), rate(rate)));
        override.creditsPerPeriod().ifPresent(credits -> line(text, "credits:per_period", creditsPerPeriod(credits)));
        return text.toString();
    }

    /** The override stored as {@link #override(PlanOverride)} writes it. */
    static PlanOverride override(String stored, Optional<Instant> expiresAt) {
        Map<MetricKey, Limit> limits = new LinkedHashMap<>();
        Map<MetricKey, Limit> allocations = new LinkedHashMap<>();
        Map<String, Feature> features = new LinkedHashMap<>();
        Map<MetricKey, MetricRate> rates = new LinkedHashMap<>();
        List<CreditsPerPeriod> credits = new ArrayList<>(1);
        lines(stored, (key, value) -> {
            int colon = key.indexOf(':');
            String section = key.substring(0, colon);
            String name = key.substring(colon + 1);
            switch (section) {
                case "limit" -> limits.put(new MetricKey(name), limit(value));
                case "allocation" -> allocations.put(new MetricKey(name), limit(value));
                case "feature" -> features.put(name, feature(value));
                case "rate" -> rates.put(new MetricKey(name), rate(value));
                case "credits" -> credits.add(creditsPerPeriod(value));
                default -> throw new IllegalStateException("unknown override line " + key);
            }
        });
        return new PlanOverride(new PlanLimits(limits), new PlanLimits(allocations), new Features(features), expiresAt,
                new MetricRates(rates), credits.stream().findFirst());
    }

    /** Credits every period (R37) as {@code amount;priority;rollover}, the rollover a cap or {@code all}. */
    static String creditsPerPeriod(CreditsPerPeriod credits) {
        return credits.amount() + ";" + credits.priority() + ";" + credits.rollover().map(String::valueOf).orElse("all");
    }

    static CreditsPerPeriod creditsPerPeriod(String stored) {
        String[] parts = stored.split(";");
        return new CreditsPerPeriod(Long.parseLong(parts[0]), Integer.parseInt(parts[1]),
                parts[2].equals("all") ? Optional.empty() : Optional.of(Long.parseLong(parts[2])));
    }

    /** The rate limits as one {@code metric=limit/per_seconds/burst} line each, in their order; NULL for none. */
    static String rateLimits(MetricRates rates) {
        if (rates.isEmpty()) {
            return null;
        }
        return rates.byMetric().entrySet().stream().map(e -> e.getKey().value() + "=" + rate(e.getValue()))
                .collect(Collectors.joining("\n"));
    }

    /** The rate limits stored as {@link #rateLimits(MetricRates)} writes them. */
    static MetricRates rateLimits(String stored) {
        Map<MetricKey, MetricRate> rates = new LinkedHashMap<>();
        if (stored != null) {
            for (String line : stored.split("\n")) {
                int eq = line.indexOf('=');
                rates.put(new MetricKey(line.substring(0, eq)), rate(line.substring(eq + 1)));
            }
        }
        return new MetricRates(rates);
    }

    /** The credit prices (R38) as one {@code metric=credits} line each, in their order; NULL for none. */
    static String creditPrices(CreditPrices prices) {
        if (prices.isEmpty()) {
            return null;
        }
        return prices.byMetric().entrySet().stream().map(e -> e.getKey().value() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** The credit prices stored as {@link #creditPrices(CreditPrices)} writes them. */
    static CreditPrices creditPrices(String stored) {
        Map<MetricKey, Long> prices = new LinkedHashMap<>();
        lines(stored, (metric, price) -> prices.put(new MetricKey(metric), Long.parseLong(price)));
        return new CreditPrices(prices);
    }

    /** A rate as {@code limit/per_seconds/burst}. */
    private static String rate(MetricRate rate) {
        return rate.limit() + "/" + rate.perSeconds() + "/" + rate.burst();
    }

    private static MetricRate rate(String stored) {
        String[] figures = stored.split("/");
        return new MetricRate(Long.parseLong(figures[0]), Integer.parseInt(figures[1]), Long.parseLong(figures[2]));
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
