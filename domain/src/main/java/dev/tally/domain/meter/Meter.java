package dev.tally.domain.meter;

import dev.tally.domain.DomainException;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.UsageRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A metric defined from the records of a {@code source} metric (R81): which records it matches
 * (its source and {@code filter}), how it aggregates them, and the dimensions it keeps groups by
 * (R83). A pure value: built and checked by {@link #define}, whose every refusal is a clear
 * {@code 400}.
 *
 * @param key              the meter's own metric key, which plans limit
 * @param source           the metric whose records feed it
 * @param aggregation      how matching records become a value
 * @param uniqueDimension  for {@link Aggregation#UNIQUE_COUNT}, the dimension whose distinct values are counted
 * @param filter           dimension to the values it accepts; a record lacking the dimension does not match
 * @param groupBy          at most 3 dimensions the value is also kept by
 * @param name             how a person reads it, if given
 */
public record Meter(MetricKey key, MetricKey source, Aggregation aggregation, Optional<String> uniqueDimension,
                    Map<String, List<String>> filter, List<String> groupBy, Optional<String> name) {

    /** At most this many meters read one source metric. */
    public static final int MAX_PER_SOURCE = 50;
    /** At most this many group-by dimensions. */
    public static final int MAX_GROUP_BY = 3;
    /** At most this many accepted values per filtered dimension. */
    public static final int MAX_FILTER_VALUES = 20;
    /** At most this many filtered dimensions (as many as a record may carry). */
    public static final int MAX_FILTER_DIMENSIONS = 20;
    /** The longest dimension name. */
    public static final int MAX_DIMENSION_NAME = 64;
    /** The longest dimension value (as a record's, R64). */
    public static final int MAX_DIMENSION_VALUE = 200;
    /** The longest name. */
    public static final int MAX_NAME = 200;
    /** The group of a record lacking a group-by dimension holds this value for it. */
    public static final String NONE = "";

    /** The metrics Tally itself records, which no meter may be named after. */
    private static final Set<MetricKey> BUILT_IN = Set.of(MetricKey.RUNS, MetricKey.SESSIONS,
            MetricKey.SESSION_MINUTES, MetricKey.CREDITS, MetricKey.ACTIVATION_CODES,
            MetricKey.ACTIVATION_CODES_REDEEMED, MetricKey.COST_USD);

    public Meter {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(uniqueDimension, "uniqueDimension");
        Objects.requireNonNull(name, "name");
        Map<String, List<String>> sorted = new TreeMap<>();
        filter.forEach((dimension, values) -> sorted.put(dimension, List.copyOf(values)));
        filter = Collections.unmodifiableMap(sorted);
        groupBy = List.copyOf(groupBy);
    }

    /**
     * A meter as an operator defines it, checked in the order of its fields: the key (not a
     * built-in metric, {@code 400 meter_key_reserved}; not its own source,
     * {@code 400 meter_source_invalid}), the aggregation, its unique dimension (required for
     * {@code unique_count}, {@code 400 unique_dimension_required}, and refused for the others,
     * {@code 400 unique_dimension_not_allowed}), the filter ({@code 400 invalid_filter}, at most 20
     * values per dimension) and the group-by ({@code 400 invalid_group_by}, at most 3 distinct
     * dimensions).
     */
    public static Meter define(MetricKey key, MetricKey source, Aggregation aggregation,
                               Optional<String> uniqueDimension, Map<String, List<String>> filter,
                               List<String> groupBy, Optional<String> name) {
        if (BUILT_IN.contains(key) || key.value().startsWith("api_calls.")) {
            throw DomainException.invalid("meter_key_reserved", "meter key " + key
                    + " is a metric Tally records itself; choose another key");
        }
        if (key.equals(source)) {
            throw DomainException.invalid("meter_source_invalid", "a meter cannot read its own key " + key);
        }
        if (aggregation == Aggregation.UNIQUE_COUNT && uniqueDimension.isEmpty()) {
            throw DomainException.invalid("unique_dimension_required",
                    "a unique_count meter names the dimension whose distinct values it counts in unique_dimension");
        }
        if (aggregation != Aggregation.UNIQUE_COUNT && uniqueDimension.isPresent()) {
            throw DomainException.invalid("unique_dimension_not_allowed",
                    "unique_dimension applies to unique_count meters only");
        }
        uniqueDimension.ifPresent(dimension -> checkDimension(dimension, "unique_dimension_invalid",
                "unique_dimension"));
        if (filter.size() > MAX_FILTER_DIMENSIONS) {
            throw DomainException.invalid("invalid_filter", "a filter names at most " + MAX_FILTER_DIMENSIONS
                    + " dimensions");
        }
        filter.forEach((dimension, values) -> {
            checkDimension(dimension, "invalid_filter", "a filter's dimension");
            if (values.isEmpty() || values.size() > MAX_FILTER_VALUES) {
                throw DomainException.invalid("invalid_filter", "filter " + dimension + " accepts 1 to "
                        + MAX_FILTER_VALUES + " values");
            }
            values.forEach(value -> {
                if (value == null || value.length() > MAX_DIMENSION_VALUE) {
                    throw DomainException.invalid("invalid_filter", "a filter's values are strings of at most "
                            + MAX_DIMENSION_VALUE + " characters");
                }
            });
        });
        if (groupBy.size() > MAX_GROUP_BY || Set.copyOf(groupBy).size() != groupBy.size()) {
            throw DomainException.invalid("invalid_group_by", "group_by names at most " + MAX_GROUP_BY
                    + " distinct dimensions");
        }
        groupBy.forEach(dimension -> checkDimension(dimension, "invalid_group_by", "a group_by dimension"));
        name.ifPresent(n -> {
            if (n.isBlank() || n.length() > MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
                throw DomainException.invalid("invalid_name", "a meter's name is 1-" + MAX_NAME
                        + " characters on one line");
            }
        });
        return new Meter(key, source, aggregation, uniqueDimension, filter, groupBy, name);
    }

    private static void checkDimension(String dimension, String code, String what) {
        if (dimension == null || dimension.isBlank() || dimension.length() > MAX_DIMENSION_NAME) {
            throw DomainException.invalid(code, what + " is a dimension name of 1-" + MAX_DIMENSION_NAME
                    + " characters");
        }
    }

    /**
     * Whether {@code record} feeds this meter: it is of the source, carries every filtered
     * dimension with an accepted value, and, for {@code unique_count}, carries the unique dimension.
     */
    public boolean matches(UsageRecord record) {
        if (!record.metric().equals(source)) {
            return false;
        }
        for (Map.Entry<String, List<String>> accepted : filter.entrySet()) {
            String value = record.dimensions().get(accepted.getKey());
            if (value == null || !accepted.getValue().contains(value)) {
                return false;
            }
        }
        return uniqueDimension.map(record.dimensions()::containsKey).orElse(true);
    }

    /** What one matching record adds: its quantity, or 1 for {@code count} (and each new distinct value). */
    public BigDecimal contribution(UsageRecord record) {
        return aggregation == Aggregation.COUNT || aggregation == Aggregation.UNIQUE_COUNT
                ? BigDecimal.ONE : record.quantity();
    }

    /** The value of the unique dimension a matching {@code unique_count} record carries. */
    public String distinctValue(UsageRecord record) {
        return record.dimensions().get(uniqueDimension.orElseThrow());
    }

    /** The group of a matching record: each group-by dimension with its value, {@link #NONE} when absent. */
    public Map<String, String> groupOf(UsageRecord record) {
        Map<String, String> group = new LinkedHashMap<>();
        groupBy.forEach(dimension -> group.put(dimension, record.dimensions().getOrDefault(dimension, NONE)));
        return group;
    }

    /** Whether {@code other} defines the same metric as this one (its name aside). */
    public boolean sameDefinition(Meter other) {
        return key.equals(other.key) && source.equals(other.source) && aggregation == other.aggregation
                && uniqueDimension.equals(other.uniqueDimension) && filter.equals(other.filter)
                && groupBy.equals(other.groupBy);
    }

    /** The meters among {@code meters} that {@code record} feeds, in the order given. */
    public static List<Meter> fed(List<Meter> meters, UsageRecord record) {
        List<Meter> fed = new ArrayList<>();
        for (Meter meter : meters) {
            if (meter.matches(record)) {
                fed.add(meter);
            }
        }
        return fed;
    }
}
