package dev.tally.domain.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** R81: what a meter is, and every definition it refuses. */
class MeterTest {

    private static final MetricKey TOKENS = new MetricKey("tokens");

    static Meter meter(String key, Aggregation aggregation, Optional<String> unique, Map<String, List<String>> filter,
                       List<String> groupBy) {
        return Meter.define(new MetricKey(key), TOKENS, aggregation, unique, filter, groupBy, Optional.empty());
    }

    static UsageRecord record(MetricKey metric, long quantity, Map<String, String> dimensions) {
        return new UsageRecord(new UserId("u"), metric, BigDecimal.valueOf(quantity),
                Instant.parse("2026-11-02T00:00:00Z"), new IdempotencyKey("k" + dimensions.hashCode() + quantity),
                dimensions);
    }

    private static void refused(Runnable define, String code) {
        assertThatThrownBy(define::run).isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(code))
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.INVALID));
    }

    @Test
    void R81_an_unknown_aggregation_is_refused_by_name() {
        refused(() -> Aggregation.parse("median"), "unknown_aggregation");
        assertThat(Aggregation.parse("unique_count")).isEqualTo(Aggregation.UNIQUE_COUNT);
    }

    @Test
    void R81_unique_count_needs_its_dimension_and_no_other_aggregation_takes_one() {
        refused(() -> meter("users", Aggregation.UNIQUE_COUNT, Optional.empty(), Map.of(), List.of()),
                "unique_dimension_required");
        refused(() -> meter("peak", Aggregation.MAX, Optional.of("user"), Map.of(), List.of()),
                "unique_dimension_not_allowed");
    }

    @Test
    void R81_a_key_of_a_built_in_metric_or_of_its_own_source_is_refused() {
        refused(() -> meter("runs", Aggregation.SUM, Optional.empty(), Map.of(), List.of()), "meter_key_reserved");
        refused(() -> meter("api_calls.search", Aggregation.SUM, Optional.empty(), Map.of(), List.of()),
                "meter_key_reserved");
        refused(() -> meter("tokens", Aggregation.SUM, Optional.empty(), Map.of(), List.of()), "meter_source_invalid");
    }

    @Test
    void R81_filters_and_group_by_are_bounded() {
        List<String> twentyOne = IntStream.range(0, 21).mapToObj(i -> "m" + i).toList();
        refused(() -> meter("m", Aggregation.SUM, Optional.empty(), Map.of("model", twentyOne), List.of()),
                "invalid_filter");
        refused(() -> meter("m", Aggregation.SUM, Optional.empty(), Map.of("model", List.of()), List.of()),
                "invalid_filter");
        refused(() -> meter("m", Aggregation.SUM, Optional.empty(), Map.of(), List.of("a", "b", "c", "d")),
                "invalid_group_by");
        refused(() -> meter("m", Aggregation.SUM, Optional.empty(), Map.of(), List.of("a", "a")), "invalid_group_by");
        assertThat(meter("m", Aggregation.SUM, Optional.empty(), Map.of("model", twentyOne.subList(0, 20)),
                List.of("a", "b", "c")).groupBy()).hasSize(3);
    }

    @Test
    void R81_a_record_matches_on_its_source_and_every_filtered_dimension() {
        Meter gpt = meter("gpt_tokens", Aggregation.SUM, Optional.empty(),
                Map.of("model", List.of("gpt-4o", "gpt-4.1")), List.of("model"));
        assertThat(gpt.matches(record(TOKENS, 5, Map.of("model", "gpt-4o")))).isTrue();
        assertThat(gpt.matches(record(TOKENS, 5, Map.of("model", "claude")))).isFalse();
        assertThat(gpt.matches(record(TOKENS, 5, Map.of()))).as("a record lacking the dimension").isFalse();
        assertThat(gpt.matches(record(new MetricKey("other"), 5, Map.of("model", "gpt-4o")))).isFalse();
        assertThat(gpt.groupOf(record(TOKENS, 5, Map.of("model", "gpt-4o")))).containsEntry("model", "gpt-4o");
    }

    @Test
    void R81_a_unique_count_record_without_its_dimension_does_not_match() {
        Meter users = meter("users", Aggregation.UNIQUE_COUNT, Optional.of("end_user"), Map.of(), List.of());
        assertThat(users.matches(record(TOKENS, 1, Map.of()))).isFalse();
        assertThat(users.matches(record(TOKENS, 1, Map.of("end_user", "ann")))).isTrue();
    }
}
