package dev.tally.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisplayNamesTest {

    private static final MetricKey SEARCHES = MetricKey.apiCalls("search");

    @Test
    void R64_a_metric_is_shown_by_its_display_name_else_by_its_key() {
        Plan plan = Plan.of(new PlanId("pro"), "Pro", PlanLimits.none())
                .withDisplayNames(new DisplayNames(Map.of(SEARCHES, "Searches")));

        assertThat(plan.displayName(SEARCHES)).isEqualTo("Searches");
        assertThat(plan.displayName(MetricKey.ACTIVATION_CODES_REDEEMED)).isEqualTo("activation_codes.redeemed");
        assertThat(plan.withMaxMetrics(5).displayNames()).isEqualTo(plan.displayNames());
    }

    @Test
    void R64_a_blank_long_or_control_character_name_is_refused_naming_the_first_offending_metric() {
        Map<MetricKey, String> names = new LinkedHashMap<>();
        names.put(MetricKey.RUNS, "Runs");
        names.put(SEARCHES, "Sea\u0007rches");
        names.put(MetricKey.SESSIONS, " ");

        assertThatThrownBy(() -> new DisplayNames(names)).isInstanceOf(DomainException.class)
                .hasMessageContaining("display_names.api_calls.search").hasMessageContaining("control");
        assertThatThrownBy(() -> new DisplayNames(Map.of(MetricKey.RUNS, " ")))
                .hasMessageContaining("display_names.runs must be a non-blank name");
        assertThatThrownBy(() -> new DisplayNames(Map.of(MetricKey.RUNS, "x".repeat(65))))
                .hasMessageContaining("longer than 64");
        assertThatThrownBy(() -> new DisplayNames(Map.of(MetricKey.RUNS, "Line\u2028break")))
                .hasMessageContaining("control");
        assertThat(new DisplayNames(Map.of(MetricKey.RUNS, "x".repeat(64))).of(MetricKey.RUNS)).hasSize(64);
        assertThat(new DisplayNames(Map.of(MetricKey.RUNS, "Läufe 🚀")).of(MetricKey.RUNS)).isEqualTo("Läufe 🚀");
    }

    @Test
    void R64_a_plan_names_at_most_a_hundred_metrics() {
        Map<MetricKey, String> names = new LinkedHashMap<>();
        for (int i = 0; i <= DisplayNames.MAX_NAMES; i++) {
            names.put(new MetricKey("m" + i), "M" + i);
        }
        assertThatThrownBy(() -> new DisplayNames(names)).hasMessageContaining("at most 100");
        names.remove(new MetricKey("m0"));
        assertThat(new DisplayNames(names).byMetric()).hasSize(100);
    }
}
