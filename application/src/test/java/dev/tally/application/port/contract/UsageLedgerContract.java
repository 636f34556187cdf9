package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.APRIL;
import static dev.tally.application.port.contract.Fixtures.GPU_HOURS;
import static dev.tally.application.port.contract.Fixtures.FEBRUARY;
import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.assertSameValue;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.dec;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static dev.tally.application.port.contract.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.Denied;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.PeriodTotals;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.port.ReconcileReport;
import dev.tally.application.port.ReserveResult;
import dev.tally.application.port.UsageLedger;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageLedger} promises (R10, R13, R20, R21, R26). Subclasses supply the
 * ledger; tests use users of their own, so one store may serve every test.
 */
public abstract class UsageLedgerContract {

    private static final MetricKey RUNS = MetricKey.RUNS;

    protected abstract UsageLedger ledger();

    /** A run's hold: held until long after the test, as a run's is until its timeout. */
    private ReserveResult reserve(UserId user, String id, MetricKey metric, BigDecimal quantity, Instant at,
                                  BillingPeriod period, Limit limit) {
        return ledger().hold(user, id, metric, quantity, at, at.plus(Duration.ofDays(366)), period, limit);
    }

    /** Commits the whole of a hold still held, as a succeeded run does; false when it is not held. */
    private boolean consume(UserId user, String id, String key) {
        return ledger().reservation(user, id)
                .flatMap(held -> ledger().commit(user, id, held.quantity(), key, held.heldAt())).isPresent();
    }

    /** Releases a hold still held, as a failed run does; anything else is left alone. */
    private void release(UserId user, String id) {
        ledger().reservation(user, id).ifPresent(held -> ledger().release(user, id, held.heldAt()));
    }

    /** Overwrites the stored used quantity of one rollup behind the ledger's back. */
    protected abstract void corruptRollup(UserId user, MetricKey metric, BillingPeriod period, BigDecimal used);

    private static Map<MetricKey, Limit> limit(MetricKey metric, long max) {
        return Map.of(metric, Limit.of(max));
    }

    private UsageTotals totals(UserId user, MetricKey metric, BillingPeriod period) {
        return ledger().totals(user, metric, period);
    }

    private void assertTotals(UserId user, MetricKey metric, BillingPeriod period, String used, String reserved) {
        UsageTotals totals = totals(user, metric, period);
        assertThat(totals.used()).as("used").isEqualByComparingTo(used);
        assertThat(totals.reserved()).as("reserved").isEqualByComparingTo(reserved);
    }

    @Test
    void R10_appended_records_count_in_the_totals_of_their_period() {
        UserId user = newUser();
        AppendResult result = ledger().append(user, List.of(
                usage(user, GPU_HOURS, "2", "a", MARCH, 1),
                usage(user, GPU_HOURS, "3.5", "b", MARCH, 2),
                usage(user, RUNS, "1", "c", MARCH, 3)), Map.of());

        assertThat(result).isEqualTo(new AppendResult.Appended(3, 0));
        assertTotals(user, GPU_HOURS, MARCH, "5.5", "0");
        assertThat(ledger().totals(user, MARCH)).containsOnlyKeys(GPU_HOURS, RUNS);
        assertThat(ledger().totals(user, APRIL)).isEmpty();
        assertTotals(user, GPU_HOURS, APRIL, "0", "0");
        assertThat(ledger().totals(newUser(), MARCH)).isEmpty();
    }

    @Test
    void R20_same_key_and_payload_is_a_duplicate_counted_once() {
        UserId user = newUser();
        PeriodRecord record = usage(user, GPU_HOURS, "2", "k1", MARCH, 1);
        ledger().append(user, List.of(record), Map.of());

        assertThat(ledger().append(user, List.of(record, usage(user, GPU_HOURS, "1", "k2", MARCH, 1)), Map.of()))
                .isEqualTo(new AppendResult.Appended(1, 1));
        assertTotals(user, GPU_HOURS, MARCH, "3", "0");
    }

    @Test
    void R20_a_key_twice_in_one_batch_counts_once() {
        UserId user = newUser();
        PeriodRecord record = usage(user, GPU_HOURS, "2", "k1", MARCH, 1);

        assertThat(ledger().append(user, List.of(record, record), Map.of())).isEqualTo(new AppendResult.Appended(1, 1));
        assertTotals(user, GPU_HOURS, MARCH, "2", "0");
    }

    @Test
    void R20_same_key_with_another_payload_is_reused_and_writes_nothing() {
        UserId user = newUser();
        ledger().append(user, List.of(usage(user, GPU_HOURS, "2", "k1", MARCH, 1)), Map.of());

        AppendResult result = ledger().append(user, List.of(
                usage(user, GPU_HOURS, "4", "k2", MARCH, 1),
                usage(user, GPU_HOURS, "3", "k1", MARCH, 1)), Map.of());

        assertThat(result).isEqualTo(new AppendResult.KeyReused(new IdempotencyKey("k1")));
        assertTotals(user, GPU_HOURS, MARCH, "2", "0");
        assertThat(ledger().append(user, List.of(usage(user, GPU_HOURS, "4", "k2", MARCH, 1)), Map.of()))
                .as("k2 was not stored").isEqualTo(new AppendResult.Appended(1, 0));
    }

    @Test
    void R20_keys_are_scoped_per_user() {
        UserId first = newUser();
        UserId second = newUser();
        ledger().append(first, List.of(usage(first, GPU_HOURS, "2", "k1", MARCH, 1)), Map.of());

        assertThat(ledger().append(second, List.of(usage(second, GPU_HOURS, "5", "k1", MARCH, 1)), Map.of()))
                .isEqualTo(new AppendResult.Appended(1, 0));
        assertTotals(first, GPU_HOURS, MARCH, "2", "0");
        assertTotals(second, GPU_HOURS, MARCH, "5", "0");
    }

    @Test
    void R13_enforced_append_within_the_limit_is_recorded() {
        UserId user = newUser();
        assertThat(ledger().append(user, List.of(usage(user, GPU_HOURS, "3", "a", MARCH, 1),
                usage(user, GPU_HOURS, "2", "b", MARCH, 1)), limit(GPU_HOURS, 5))).isEqualTo(new AppendResult.Appended(2, 0));
        assertTotals(user, GPU_HOURS, MARCH, "5", "0");
    }

    @Test
    void R13_enforced_append_over_the_limit_is_denied_and_writes_nothing() {
        UserId user = newUser();
        ledger().append(user, List.of(usage(user, GPU_HOURS, "4", "a", MARCH, 1)), limit(GPU_HOURS, 5));

        AppendResult result = ledger().append(user, List.of(
                usage(user, RUNS, "1", "r", MARCH, 1),
                usage(user, GPU_HOURS, "1", "b", MARCH, 1),
                usage(user, GPU_HOURS, "1", "c", MARCH, 1)), limit(GPU_HOURS, 5));

        assertSameValue(result, new Denied(GPU_HOURS, MARCH, new UsageTotals(dec("4"), BigDecimal.ZERO), dec("2"), dec("5")));
        assertTotals(user, GPU_HOURS, MARCH, "4", "0");
        assertTotals(user, RUNS, MARCH, "0", "0");
        assertThat(ledger().append(user, List.of(usage(user, GPU_HOURS, "1", "b", MARCH, 1)), limit(GPU_HOURS, 5)))
                .as("b was not stored").isEqualTo(new AppendResult.Appended(1, 0));
    }

    @Test
    void R13_a_denial_takes_back_what_the_batch_added_to_other_metrics_and_periods() {
        UserId user = newUser();
        ledger().append(user, List.of(usage(user, RUNS, "4", "r1", MARCH, 1)), limit(RUNS, 5));

        AppendResult result = ledger().append(user, List.of(
                usage(user, GPU_HOURS, "2", "g-feb", FEBRUARY, 2),
                usage(user, GPU_HOURS, "3", "g-mar", MARCH, 2),
                usage(user, RUNS, "2", "r2", MARCH, 2)), limit(RUNS, 5));

        assertSameValue(result, new Denied(RUNS, MARCH, new UsageTotals(dec("4"), BigDecimal.ZERO), dec("2"), dec("5")));
        assertTotals(user, GPU_HOURS, FEBRUARY, "0", "0");
        assertTotals(user, GPU_HOURS, MARCH, "0", "0");
        assertTotals(user, RUNS, MARCH, "4", "0");
        assertThat(ledger().append(user, List.of(usage(user, GPU_HOURS, "2", "g-feb", FEBRUARY, 2)), Map.of()))
                .as("g-feb was not stored").isEqualTo(new AppendResult.Appended(1, 0));
    }

    @Test
    void R12_of_several_breaches_the_first_offending_record_in_request_order_is_reported() {
        UserId user = newUser();
        Map<MetricKey, Limit> limits = Map.of(RUNS, Limit.of(5), GPU_HOURS, Limit.of(5));
        ledger().append(user, List.of(usage(user, RUNS, "4", "r0", MARCH, 1), usage(user, GPU_HOURS, "4", "g0", MARCH, 1)),
                limits);
        Denied runs = new Denied(RUNS, MARCH, new UsageTotals(dec("4"), BigDecimal.ZERO), dec("2"), dec("5"));
        Denied gpu = new Denied(GPU_HOURS, MARCH, new UsageTotals(dec("4"), BigDecimal.ZERO), dec("2"), dec("5"));

        assertSameValue(ledger().append(user, List.of(usage(user, GPU_HOURS, "2", "g", MARCH, 1),
                usage(user, RUNS, "2", "r", MARCH, 1)), limits), gpu);
        assertSameValue(ledger().append(user, List.of(usage(user, RUNS, "2", "r", MARCH, 1),
                usage(user, GPU_HOURS, "2", "g", MARCH, 1)), limits), runs);
        // gpu's first record still fits (4 + 1); runs' record is the first that does not.
        assertSameValue(ledger().append(user, List.of(usage(user, GPU_HOURS, "1", "g1", MARCH, 1),
                usage(user, RUNS, "2", "r", MARCH, 1), usage(user, GPU_HOURS, "1", "g2", MARCH, 1)), limits), runs);
        assertTotals(user, RUNS, MARCH, "4", "0");
        assertTotals(user, GPU_HOURS, MARCH, "4", "0");
    }

    @Test
    void R12_a_metric_over_its_limit_in_two_periods_reports_the_period_of_the_first_record_sent() {
        UserId user = newUser();
        Map<MetricKey, Limit> limits = limit(GPU_HOURS, 3);

        assertSameValue(ledger().append(user, List.of(usage(user, GPU_HOURS, "4", "m", MARCH, 1),
                        usage(user, GPU_HOURS, "4", "f", FEBRUARY, 1)), limits),
                new Denied(GPU_HOURS, MARCH, UsageTotals.ZERO, dec("4"), dec("3")));
        assertSameValue(ledger().append(user, List.of(usage(user, GPU_HOURS, "4", "f", FEBRUARY, 1),
                        usage(user, GPU_HOURS, "4", "m", MARCH, 1)), limits),
                new Denied(GPU_HOURS, FEBRUARY, UsageTotals.ZERO, dec("4"), dec("3")));
    }

    @Test
    void R20_of_several_reused_keys_the_first_in_request_order_is_reported() {
        UserId user = newUser();
        ledger().append(user, List.of(usage(user, GPU_HOURS, "1", "k1", MARCH, 1),
                usage(user, GPU_HOURS, "1", "k2", MARCH, 1)), Map.of());

        assertThat(ledger().append(user, List.of(usage(user, GPU_HOURS, "2", "k2", MARCH, 1),
                usage(user, GPU_HOURS, "2", "k1", MARCH, 1)), Map.of()))
                .isEqualTo(new AppendResult.KeyReused(new IdempotencyKey("k2")));
        assertThat(ledger().append(user, List.of(usage(user, GPU_HOURS, "2", "k3", MARCH, 1),
                usage(user, GPU_HOURS, "2", "k1", MARCH, 1), usage(user, GPU_HOURS, "3", "k3", MARCH, 1)), Map.of()))
                .isEqualTo(new AppendResult.KeyReused(new IdempotencyKey("k1")));
        assertThat(ledger().append(user, List.of(usage(user, GPU_HOURS, "2", "k0", MARCH, 1),
                usage(user, GPU_HOURS, "3", "k0", MARCH, 1), usage(user, GPU_HOURS, "2", "k1", MARCH, 1)), Map.of()))
                .isEqualTo(new AppendResult.KeyReused(new IdempotencyKey("k0")));
        assertTotals(user, GPU_HOURS, MARCH, "2", "0");
    }

    @Test
    void R13_duplicates_do_not_count_against_the_limit() {
        UserId user = newUser();
        PeriodRecord record = usage(user, GPU_HOURS, "5", "a", MARCH, 1);
        ledger().append(user, List.of(record), limit(GPU_HOURS, 5));

        assertThat(ledger().append(user, List.of(record), limit(GPU_HOURS, 5))).isEqualTo(new AppendResult.Appended(0, 1));
    }

    @Test
    void R11_a_limit_of_zero_allows_nothing_and_unlimited_allows_anything() {
        UserId user = newUser();
        assertThat(ledger().append(user, List.of(usage(user, GPU_HOURS, "1", "a", MARCH, 1)), limit(GPU_HOURS, 0)))
                .isInstanceOf(Denied.class);
        assertThat(ledger().append(user, List.of(usage(user, GPU_HOURS, "1000000", "b", MARCH, 1)),
                Map.of(GPU_HOURS, Limit.unlimited()))).isEqualTo(new AppendResult.Appended(1, 0));
    }

    @Test
    void R13_reserved_quantities_count_against_the_limit() {
        UserId user = newUser();
        assertThat(reserve(user, "run-1", RUNS, dec("3"), MARCH.start(), MARCH, Limit.of(5)))
                .isEqualTo(new ReserveResult.Reserved());

        AppendResult result = ledger().append(user, List.of(usage(user, RUNS, "3", "a", MARCH, 1)), limit(RUNS, 5));

        assertSameValue(result, new Denied(RUNS, MARCH, new UsageTotals(BigDecimal.ZERO, dec("3")), dec("3"), dec("5")));
        assertThat(ledger().append(user, List.of(usage(user, RUNS, "2", "a", MARCH, 1)), limit(RUNS, 5)))
                .isEqualTo(new AppendResult.Appended(1, 0));
    }

    @Test
    void R21_a_late_record_updates_the_period_it_occurred_in() {
        UserId user = newUser();
        ledger().append(user, List.of(usage(user, GPU_HOURS, "2", "now", MARCH, 1)), Map.of());

        ledger().append(user, List.of(usage(user, GPU_HOURS, "7", "late", FEBRUARY, 27)), limit(GPU_HOURS, 8));

        assertTotals(user, GPU_HOURS, FEBRUARY, "7", "0");
        assertTotals(user, GPU_HOURS, MARCH, "2", "0");
    }

    @Test
    void R13_each_period_of_a_batch_is_checked_on_its_own() {
        UserId user = newUser();
        AppendResult result = ledger().append(user, List.of(
                usage(user, GPU_HOURS, "3", "feb", FEBRUARY, 3),
                usage(user, GPU_HOURS, "3", "mar", MARCH, 3)), limit(GPU_HOURS, 3));

        assertThat(result).isEqualTo(new AppendResult.Appended(2, 0));
        assertTotals(user, GPU_HOURS, FEBRUARY, "3", "0");
        assertTotals(user, GPU_HOURS, MARCH, "3", "0");
    }

    @Test
    void R26_a_reservation_is_held_until_released() {
        UserId user = newUser();
        reserve(user, "run-1", RUNS, BigDecimal.ONE, MARCH.start(), MARCH, Limit.of(2));
        assertTotals(user, RUNS, MARCH, "0", "1");

        release(user, "run-1");
        assertTotals(user, RUNS, MARCH, "0", "0");
        release(user, "run-1");
        release(user, "never-held");
        assertTotals(user, RUNS, MARCH, "0", "0");
        assertThat(consume(user, "run-1", "run-1")).as("released cannot be consumed").isFalse();
    }

    @Test
    void R26_a_consumed_reservation_becomes_used_once() {
        UserId user = newUser();
        reserve(user, "run-1", RUNS, BigDecimal.ONE, MARCH.start().plusSeconds(60), MARCH, Limit.of(2));

        assertThat(consume(user, "run-1", "run:run-1")).isTrue();
        assertTotals(user, RUNS, MARCH, "1", "0");
        assertThat(consume(user, "run-1", "run:run-1")).isFalse();
        release(user, "run-1");
        assertTotals(user, RUNS, MARCH, "1", "0");
        assertThat(consume(user, "unknown", "run:unknown")).isFalse();
    }

    @Test
    void R26_a_reservation_beyond_the_limit_is_denied() {
        UserId user = newUser();
        ledger().append(user, List.of(usage(user, RUNS, "1", "done", MARCH, 1)), Map.of());
        reserve(user, "run-1", RUNS, BigDecimal.ONE, MARCH.start(), MARCH, Limit.of(2));

        ReserveResult result = reserve(user, "run-2", RUNS, BigDecimal.ONE, MARCH.start(), MARCH, Limit.of(2));

        assertSameValue(result, new Denied(RUNS, MARCH, new UsageTotals(BigDecimal.ONE, BigDecimal.ONE),
                BigDecimal.ONE, dec("2")));
        assertTotals(user, RUNS, MARCH, "1", "1");
        assertThat(consume(user, "run-2", "run:run-2")).as("a denied reservation is not held").isFalse();
    }

    @Test
    void R26_an_id_cannot_be_reserved_twice_while_held() {
        UserId user = newUser();
        reserve(user, "run-1", RUNS, BigDecimal.ONE, MARCH.start(), MARCH, Limit.unlimited());

        assertThatThrownBy(() -> reserve(user, "run-1", RUNS, BigDecimal.ONE, MARCH.start(), MARCH,
                Limit.unlimited())).isInstanceOf(IllegalStateException.class);
        assertTotals(user, RUNS, MARCH, "0", "1");
    }

    @Test
    void R10_reconcile_finds_a_drifted_rollup_and_repairs_it() {
        UserId user = newUser();
        ledger().append(user, List.of(usage(user, GPU_HOURS, "2", "a", MARCH, 1), usage(user, GPU_HOURS, "3", "b", MARCH, 2)),
                Map.of());
        reserve(user, "run-1", RUNS, BigDecimal.ONE, MARCH.start(), MARCH, Limit.of(5));
        corruptRollup(user, GPU_HOURS, MARCH, dec("42"));

        ReconcileReport report = ledger().reconcile(false, ReconcileProgress.NONE);

        List<ReconcileReport.Drift> drifts = driftsOf(report, user);
        assertSameValue(drifts, List.of(new ReconcileReport.Drift(user, GPU_HOURS, MARCH.start(), dec("42"), dec("5"),
                BigDecimal.ZERO, BigDecimal.ZERO)));
        assertThat(report.repaired()).isFalse();
        assertThat(report.checked()).isGreaterThanOrEqualTo(2);
        assertTotals(user, GPU_HOURS, MARCH, "42", "0");

        List<long[]> progress = new ArrayList<>();
        ReconcileReport repaired = ledger().reconcile(true, (done, total) -> progress.add(new long[] {done, total}));
        assertThat(driftsOf(repaired, user)).hasSize(1);
        assertThat(repaired.repaired()).isTrue();
        assertThat(progress).isNotEmpty();
        long[] last = progress.get(progress.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]);
        assertTotals(user, GPU_HOURS, MARCH, "5", "0");
        assertTotals(user, RUNS, MARCH, "0", "1");
        assertThat(driftsOf(ledger().reconcile(false, ReconcileProgress.NONE), user)).isEmpty();
    }

    @Test
    void R10_refile_moves_facts_and_reservations_into_new_periods() {
        UserId user = newUser();
        BillingPeriod firstHalf = Fixtures.period("2026-03-01T00:00:00Z", "2026-03-15T00:00:00Z");
        BillingPeriod secondHalf = Fixtures.period("2026-03-15T00:00:00Z", "2026-04-15T00:00:00Z");
        ledger().append(user, List.of(usage(user, GPU_HOURS, "2", "a", MARCH, 1), usage(user, GPU_HOURS, "3", "b", MARCH, 20)),
                Map.of());
        Instant late = MARCH.start().plusSeconds(86_400L * 25);
        reserve(user, "run-1", RUNS, BigDecimal.ONE, late, MARCH, Limit.of(5));

        ledger().refile(user, at -> at.isBefore(secondHalf.start()) ? firstHalf : secondHalf);

        assertThat(ledger().totals(user, MARCH)).isEmpty();
        assertTotals(user, GPU_HOURS, firstHalf, "2", "0");
        assertTotals(user, GPU_HOURS, secondHalf, "3", "0");
        assertTotals(user, RUNS, secondHalf, "0", "1");
        assertThat(consume(user, "run-1", "run:run-1")).isTrue();
        assertTotals(user, RUNS, secondHalf, "1", "0");
        assertThat(driftsOf(ledger().reconcile(false, ReconcileProgress.NONE), user)).isEmpty();
    }

    @Test
    void R13_32_threads_at_limit_L_grant_exactly_L() throws Exception {
        UserId user = newUser();
        int limit = 50;
        List<AppendResult> results = concurrently(32, 200, i -> () ->
                ledger().append(user, List.of(usage(user, GPU_HOURS, "1", "req-" + i, MARCH, 1)), limit(GPU_HOURS, limit)));

        long granted = results.stream().filter(AppendResult.Appended.class::isInstance).count();
        assertThat(granted).isEqualTo(limit);
        assertThat(results.stream().filter(Denied.class::isInstance).count()).isEqualTo(200 - limit);
        assertTotals(user, GPU_HOURS, MARCH, String.valueOf(limit), "0");
    }

    @Test
    void R13_no_request_is_denied_while_the_limit_has_room() throws Exception {
        UserId user = newUser();
        List<AppendResult> results = concurrently(32, 40, i -> () ->
                ledger().append(user, List.of(usage(user, GPU_HOURS, "1", "req-" + i, MARCH, 1)), limit(GPU_HOURS, 50)));

        assertThat(results).allMatch(AppendResult.Appended.class::isInstance);
        assertTotals(user, GPU_HOURS, MARCH, "40", "0");
    }

    @Test
    void R26_concurrent_reservations_never_exceed_the_run_limit() throws Exception {
        UserId user = newUser();
        ledger().append(user, List.of(usage(user, RUNS, "2", "done", MARCH, 1)), Map.of());
        List<ReserveResult> results = concurrently(32, 64, i -> () ->
                reserve(user, "run-" + i, RUNS, BigDecimal.ONE, MARCH.start(), MARCH, Limit.of(10)));

        assertThat(results.stream().filter(ReserveResult.Reserved.class::isInstance).count()).isEqualTo(8);
        assertTotals(user, RUNS, MARCH, "2", "8");
    }

    @Test
    void R20_concurrent_retries_of_one_record_count_once() throws Exception {
        UserId user = newUser();
        PeriodRecord record = usage(user, GPU_HOURS, "3", "retried", MARCH, 1);
        List<AppendResult> results = concurrently(32, 32, i -> () ->
                ledger().append(user, List.of(record), limit(GPU_HOURS, 100)));

        assertThat(results).filteredOn(r -> r.equals(new AppendResult.Appended(1, 0))).hasSize(1);
        assertThat(results).filteredOn(r -> r.equals(new AppendResult.Appended(0, 1))).hasSize(31);
        assertTotals(user, GPU_HOURS, MARCH, "3", "0");
    }

    @Test
    void R10_a_mixed_concurrent_workload_leaves_no_drift() throws Exception {
        List<UserId> users = List.of(newUser(), newUser(), newUser());
        AtomicLong keys = new AtomicLong();
        concurrently(16, 240, i -> () -> {
            UserId user = users.get(i % users.size());
            BillingPeriod period = i % 5 == 0 ? FEBRUARY : MARCH;
            String run = "run-" + i;
            switch (i % 4) {
                case 0 -> ledger().append(user, List.of(usage(user, GPU_HOURS, "1.5", "k" + keys.incrementAndGet(), period,
                        2), usage(user, RUNS, "1", "shared-" + (i % 7), period, 2)), limit(GPU_HOURS, 60));
                case 1 -> {
                    reserve(user, run, RUNS, BigDecimal.ONE, period.start(), period, Limit.of(30));
                    consume(user, run, "consumed-" + run);
                }
                case 2 -> {
                    reserve(user, run, RUNS, BigDecimal.ONE, period.start(), period, Limit.of(30));
                    release(user, run);
                }
                default -> reserve(user, run, RUNS, dec("2"), period.start(), period, Limit.of(30));
            }
            return null;
        });

        ReconcileReport report = ledger().reconcile(false, ReconcileProgress.NONE);
        assertThat(report.drifts()).filteredOn(d -> users.contains(d.user())).isEmpty();
        for (UserId user : users) {
            UsageTotals runs = totals(user, RUNS, MARCH);
            assertThat(runs.used().add(runs.reserved())).isLessThanOrEqualTo(dec("30").add(dec("7")));
            assertThat(totals(user, GPU_HOURS, MARCH).used()).isLessThanOrEqualTo(dec("60"));
        }
    }

    @Test
    void R52_a_periods_usage_is_summed_per_slice_from_that_period_only() {
        UserId user = newUser();
        Instant march = MARCH.start();
        ledger().append(user, List.of(
                at(user, GPU_HOURS, "2", "a", MARCH, march.plusSeconds(60)),
                at(user, GPU_HOURS, "3", "b", MARCH, march.plusSeconds(3_599)),
                at(user, GPU_HOURS, "4", "c", MARCH, march.plusSeconds(3_600)),
                at(user, GPU_HOURS, "0.5", "d", MARCH, march.plusSeconds(86_400 * 3 + 7)),
                at(user, RUNS, "1", "e", MARCH, march.plusSeconds(120)),
                at(user, GPU_HOURS, "100", "f", FEBRUARY, march.minusSeconds(1)),
                at(user, GPU_HOURS, "100", "g", APRIL, APRIL.start())), Map.of());

        assertThat(ledger().usageBySlice(user, GPU_HOURS, MARCH, Duration.ofHours(1)))
                .containsOnlyKeys(march, march.plusSeconds(3_600), march.plusSeconds(86_400 * 3))
                .satisfies(sums -> {
                    assertThat(sums.get(march)).isEqualByComparingTo("5");
                    assertThat(sums.get(march.plusSeconds(3_600))).isEqualByComparingTo("4");
                    assertThat(sums.get(march.plusSeconds(86_400 * 3))).isEqualByComparingTo("0.5");
                });
        assertThat(ledger().usageBySlice(user, GPU_HOURS, MARCH, Duration.ofNanos(1)))
                .containsOnlyKeys(march.plusSeconds(60), march.plusSeconds(3_599), march.plusSeconds(3_600),
                        march.plusSeconds(86_400 * 3 + 7));
        assertThat(ledger().usageBySlice(user, RUNS, APRIL, Duration.ofHours(1))).isEmpty();
        assertThat(ledger().usageBySlice(newUser(), GPU_HOURS, MARCH, Duration.ofHours(1))).isEmpty();
    }

    @Test
    void R53_the_rollups_of_the_period_containing_an_instant_with_usage_or_a_hold() {
        UserId user = newUser();
        UserId other = newUser();
        ledger().append(user, List.of(usage(user, GPU_HOURS, "2", "a", MARCH, 1),
                usage(user, GPU_HOURS, "9", "b", FEBRUARY, 1)), Map.of());
        ledger().append(other, List.of(usage(other, GPU_HOURS, "7", "a", APRIL, 1)), Map.of());
        reserve(user, "run-1", RUNS, BigDecimal.ONE, MARCH.start().plusSeconds(5), MARCH, Limit.of(5));
        reserve(user, "run-2", new MetricKey("exports"), BigDecimal.ONE, MARCH.start(), MARCH, Limit.of(5));
        release(user, "run-2");

        List<PeriodTotals> march = ledger().rollupsAt(MARCH.start().plusSeconds(86_400 * 10)).stream()
                .filter(t -> t.user().equals(user) || t.user().equals(other)).toList();

        assertThat(march).extracting(PeriodTotals::user, PeriodTotals::metric, PeriodTotals::period)
                .containsExactlyInAnyOrder(tuple(user, GPU_HOURS, MARCH), tuple(user, RUNS, MARCH));
        assertThat(march).filteredOn(t -> t.metric().equals(GPU_HOURS)).singleElement()
                .satisfies(t -> assertThat(t.totals().used()).isEqualByComparingTo("2"));
        assertThat(march).filteredOn(t -> t.metric().equals(RUNS)).singleElement()
                .satisfies(t -> assertThat(t.totals().reserved()).isEqualByComparingTo("1"));
        assertThat(ledger().rollupsAt(MARCH.end()))
                .filteredOn(t -> t.user().equals(other)).extracting(PeriodTotals::period).containsExactly(APRIL);
    }

    private static PeriodRecord at(UserId user, MetricKey metric, String quantity, String key, BillingPeriod period,
                                   Instant at) {
        return new PeriodRecord(new UsageRecord(user, metric, new BigDecimal(quantity), at, new IdempotencyKey(key),
                Map.of()), period);
    }

    private static List<ReconcileReport.Drift> driftsOf(ReconcileReport report, UserId user) {
        return report.drifts().stream().filter(d -> d.user().equals(user)).toList();
    }
}
