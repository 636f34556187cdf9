package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.APRIL;
import static dev.tally.application.port.contract.Fixtures.GPU_HOURS;
import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static dev.tally.application.port.contract.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.Denied;
import dev.tally.application.port.MetricsFull;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.ReserveResult;
import dev.tally.application.port.UsageLedger;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricBound;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageLedger} promises about the bound of distinct metrics per user and period
 * (R67): new metrics fit up to the bound, declared ones always, a refused write stores nothing
 * and leaves no rollup behind, and the bound holds exactly under concurrent writers, on one
 * node or two sharing the store.
 */
public abstract class MetricBoundContract {

    private static final MetricBound THREE = new MetricBound(3, Set.of(GPU_HOURS));

    protected abstract UsageLedger ledger();

    /** The ledger of a second node over the same store; the same ledger where there is one store per node. */
    protected UsageLedger otherNode() {
        return ledger();
    }

    private static MetricKey m(String name) {
        return new MetricKey(name);
    }

    private AppendResult append(UserId user, MetricBound bound, PeriodRecord... records) {
        return ledger().append(user, List.of(records), Map.of(), Set.of(), bound);
    }

    private static PeriodRecord one(UserId user, String metric, String key) {
        return usage(user, new MetricKey(metric), "1", key, MARCH, 1);
    }

    @Test
    void R67_new_metrics_fit_up_to_the_bound_declared_ones_always_and_the_refusal_names_the_first_without_room() {
        UserId user = newUser();
        assertThat(append(user, THREE, one(user, "a", "k1"), one(user, "b", "k2")))
                .isInstanceOf(AppendResult.Appended.class);

        assertThat(append(user, THREE, one(user, "c", "k3"), one(user, "d", "k4"), one(user, "e", "k5")))
                .isEqualTo(new MetricsFull(m("d"), MARCH, 3));
        assertThat(ledger().totals(user, MARCH)).containsOnlyKeys(m("a"), m("b"));
        assertThat(append(user, THREE, one(user, "gpu_hours", "k6"), one(user, "a", "k7")))
                .isEqualTo(new AppendResult.Appended(2, 0));
        assertThat(append(user, THREE, one(user, "c", "k8"))).isEqualTo(new MetricsFull(m("c"), MARCH, 3));
        assertThat(ledger().append(user, List.of(usage(user, m("c"), "1", "k9", APRIL, 1)), Map.of(), Set.of(),
                THREE)).as("another period counts apart").isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(ledger().totals(user, MARCH).get(m("a")).used()).isEqualByComparingTo("2");
    }

    @Test
    void R67_a_write_refused_by_a_limit_leaves_no_metric_behind_to_count() {
        UserId user = newUser();
        MetricBound one = new MetricBound(1, Set.of(GPU_HOURS));

        AppendResult denied = ledger().append(user, List.of(one(user, "x", "k1"), one(user, "gpu_hours", "k2")),
                Map.of(GPU_HOURS, Limit.of(0)), Set.of(), one);

        assertThat(denied).isInstanceOf(Denied.class);
        assertThat(append(user, one, one(user, "y", "k3"))).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(append(user, one, one(user, "x", "k1"))).isEqualTo(new MetricsFull(m("x"), MARCH, 1));
    }

    @Test
    void R67_a_hold_on_a_new_metric_is_within_the_bound_and_its_metric_counts_after_release() {
        UserId user = newUser();
        MetricBound one = new MetricBound(1, Set.of());
        BigDecimal q = BigDecimal.ONE;

        ReserveResult first = ledger().hold(user, "h1", m("a"), q, MARCH.start(), MARCH.end(), MARCH,
                Limit.unlimited(), one);
        ReserveResult second = ledger().hold(user, "h2", m("b"), q, MARCH.start(), MARCH.end(), MARCH,
                Limit.unlimited(), one);
        ledger().release(user, "h1", MARCH.start());

        assertThat(first).isInstanceOf(ReserveResult.Reserved.class);
        assertThat(second).isEqualTo(new MetricsFull(m("b"), MARCH, 1));
        assertThat(ledger().reservation(user, "h2")).isEmpty();
        assertThat(append(user, one, one(user, "b", "k1"))).isEqualTo(new MetricsFull(m("b"), MARCH, 1));
        assertThat(append(user, one, one(user, "a", "k2"))).isEqualTo(new AppendResult.Appended(1, 0));
    }

    @Test
    void R67_R13_concurrent_writers_of_new_metrics_on_two_nodes_fill_the_bound_exactly() throws Exception {
        UserId user = newUser();
        MetricBound five = new MetricBound(5, Set.of(GPU_HOURS));
        append(user, five, one(user, "gpu_hours", "k-first"));

        List<AppendResult> results = concurrently(16, 40, i -> () ->
                (i % 2 == 0 ? ledger() : otherNode()).append(user, List.of(
                        usage(user, i % 10 == 0 ? GPU_HOURS : m("m" + i), "1", "k" + i, MARCH, 1)),
                        Map.of(), Set.of(), five));

        assertThat(results).filteredOn(r -> r instanceof AppendResult.Appended).hasSize(4 + 4);
        assertThat(results).filteredOn(r -> r instanceof MetricsFull).hasSize(32);
        assertThat(ledger().totals(user, MARCH)).hasSize(5);
        assertThat(ledger().totals(user, MARCH).get(GPU_HOURS).used()).as("declared always fit")
                .isEqualByComparingTo("5");
    }
}
