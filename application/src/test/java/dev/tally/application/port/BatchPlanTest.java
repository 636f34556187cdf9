package dev.tally.application.port;

import static dev.tally.application.port.contract.Fixtures.APRIL;
import static dev.tally.application.port.contract.Fixtures.GPU_HOURS;
import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One batch's plan, worked out once for every storage (R12, R13, R20, R67). */
class BatchPlanTest {

    private static final UserId USER = new UserId("u");
    private static final MetricKey TOKENS = new MetricKey("tokens");

    @Test
    void R20_one_record_per_key_in_key_order_a_repeat_is_a_duplicate_and_the_first_reuse_in_request_order_refuses() {
        PeriodRecord b = usage(USER, TOKENS, "1", "b", MARCH, 1);
        PeriodRecord a = usage(USER, TOKENS, "2", "a", MARCH, 2);
        PeriodRecord aAgain = usage(USER, TOKENS, "2", "a", MARCH, 2);
        PeriodRecord cStoredOtherwise = usage(USER, TOKENS, "3", "c", MARCH, 3);

        BatchPlan plain = BatchPlan.of(List.of(b, a, aAgain), Map.of(), Set.of());
        BatchPlan reusing = BatchPlan.of(List.of(b, cStoredOtherwise, a, usage(USER, TOKENS, "9", "a", MARCH, 2)),
                Map.of(), Set.of());

        assertThat(plain.candidates()).containsExactly(a, b);
        assertThat(plain.reused(List.of(), entry -> "")).isEmpty();
        assertThat(plain.appended(2, 0, List.of()).duplicates()).isEqualTo(1);
        assertThat(reusing.reused(List.of(), entry -> "")).contains(new AppendResult.KeyReused(new IdempotencyKey("a")));
        assertThat(reusing.reused(List.of(cStoredOtherwise), entry -> "another payload"))
                .contains(new AppendResult.KeyReused(new IdempotencyKey("c")));
    }

    @Test
    void R13_new_records_are_summed_per_rollup_in_lock_order_each_admitted_under_its_metrics_limit() {
        List<PeriodRecord> fresh = List.of(usage(USER, TOKENS, "5", "k1", APRIL, 1),
                usage(USER, GPU_HOURS, "2", "k2", MARCH, 1), usage(USER, TOKENS, "4", "k3", MARCH, 2),
                usage(USER, TOKENS, "3", "k4", MARCH, 3));

        List<BatchPlan.Raise> raises = BatchPlan.of(fresh, Map.of(TOKENS, Limit.of(10)), Set.of(GPU_HOURS))
                .raises(fresh);

        assertThat(raises).extracting(BatchPlan.Raise::rollup).containsExactly(
                new BatchPlan.Rollup(GPU_HOURS, MARCH), new BatchPlan.Rollup(TOKENS, MARCH),
                new BatchPlan.Rollup(TOKENS, APRIL));
        assertThat(raises).extracting(BatchPlan.Raise::quantity).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("2"), new BigDecimal("7"), new BigDecimal("5"));
        assertThat(raises).extracting(BatchPlan.Raise::watched).containsExactly(true, false, false);
        assertThat(raises.get(0).admission().isUnlimited()).isTrue();
        assertThat(raises.get(1).admission().ceiling()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("3"));
    }

    @Test
    void R12_R67_the_refusal_and_the_rollups_added_follow_request_order_not_lock_order() {
        PeriodRecord april = usage(USER, TOKENS, "5", "a", APRIL, 1);
        PeriodRecord march = usage(USER, TOKENS, "5", "b", MARCH, 1);
        List<PeriodRecord> fresh = List.of(april, march);
        BatchPlan plan = BatchPlan.of(fresh, Map.of(TOKENS, Limit.of(6)), Set.of());
        List<BatchPlan.Raise> raises = plan.raises(fresh);
        UsageTotals two = new UsageTotals(new BigDecimal("2"), BigDecimal.ZERO);

        Denied first = plan.firstOffending(fresh, List.of(raises.get(0).denied(two), raises.get(1).denied(two)));

        assertThat(first.period()).isEqualTo(APRIL);
        assertThat(plan.added(fresh, rollup -> true)).containsExactly(new MetricsFull.Added(TOKENS, APRIL),
                new MetricsFull.Added(TOKENS, MARCH));
    }
}
