package dev.tally.adapter.jdbc;

import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.GPU_HOURS;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static dev.tally.application.port.contract.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditEntry;
import dev.tally.application.port.CreditReconcileReport;
import dev.tally.application.port.IdempotencyStore;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.port.ReconcileReport;
import dev.tally.application.port.TallyStorage;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.GrantTerms;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.session.Session;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the SQL storage promises beyond the port contracts: one use case is one transaction,
 * idempotency claims commit on their own, transient conflicts are retried, and reconcile finds
 * rollups that are missing altogether.
 */
abstract class JdbcStorageBehaviour {

    private static final IdempotencyKey KEY = new IdempotencyKey("key-1");

    abstract TestDatabase database();

    private TallyStorage storage() {
        return database().storage().ports();
    }

    @Test
    void R13_two_nodes_sharing_one_database_grant_exactly_L() throws Exception {
        UserId user = newUser();
        try (JdbcStorage otherNode = database().openAnotherNode()) {
            List<TallyStorage> nodes = List.of(storage(), otherNode.ports());
            List<AppendResult> results = concurrently(32, 200, i -> () -> nodes.get(i % 2).usage().append(user,
                    List.of(usage(user, GPU_HOURS, "1", "req-" + i, MARCH, 1)), Map.of(GPU_HOURS, Limit.of(50))));

            assertThat(results).filteredOn(AppendResult.Appended.class::isInstance).hasSize(50);
            assertThat(otherNode.ports().usage().totals(user, GPU_HOURS, MARCH).used()).isEqualByComparingTo("50");
        }
    }

    @Test
    void decisions_are_grouped_in_several_lanes_on_postgresql_and_not_on_an_h2_memory_database() {
        JdbiTransactions transactions = (JdbiTransactions) storage().transactions();
        assertThat(transactions.grouping()).isEqualTo(database().isPostgres());
        assertThat(transactions.lanes()).isEqualTo(JdbiTransactions.PARALLEL_LANES);
    }

    @Test
    void the_daos_a_transaction_attached_go_with_it_so_a_long_running_node_keeps_none() {
        int before = Db.handlesWithDaos();
        UserId user = newUser();
        for (int i = 0; i < 50; i++) {
            int n = i;
            storage().transactions().run(() -> storage().usage().append(user,
                    List.of(usage(user, GPU_HOURS, "1", "k-" + n, MARCH, 1)), Map.of()));
            storage().usage().totals(user, MARCH);
        }
        assertThatThrownBy(() -> storage().transactions().run(() -> {
            storage().usage().append(user, List.of(usage(user, GPU_HOURS, "1", "k-failed", MARCH, 1)), Map.of());
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");

        assertThat(storage().usage().totals(user, GPU_HOURS, MARCH).used()).isEqualByComparingTo("50");
        assertThat(Db.handlesWithDaos()).as("handles still holding DAOs").isLessThanOrEqualTo(before);
    }

    @Test
    void R13_a_failing_use_case_rolls_back_every_port_it_wrote() {
        UserId user = newUser();
        String sessionId = newId("s");

        assertThatThrownBy(() -> storage().transactions().run(() -> {
            storage().usage().append(user, List.of(usage(user, GPU_HOURS, "2", "a", MARCH, 1)), Map.of());
            storage().credits().append(new CreditEntry(newId("tx"), user, CreditType.GRANT, 5, Optional.empty(),
                    Optional.empty(), Optional.empty(), MARCH.start(), false));
            storage().sessions().insert(Session.open(sessionId, user, "call", Optional.empty(), MARCH.start()));
            throw new IllegalStateException("the use case fails after writing");
        })).hasMessageContaining("fails after writing");

        assertThat(storage().usage().totals(user, MARCH)).isEmpty();
        assertThat(storage().credits().balance(user)).isZero();
        assertThat(storage().credits().count(user)).isZero();
        assertThat(storage().sessions().find(user, sessionId)).isEmpty();
        assertThat(storage().usage().append(user, List.of(usage(user, GPU_HOURS, "2", "a", MARCH, 1)), Map.of()))
                .as("the idempotency key was not kept either").isEqualTo(new AppendResult.Appended(1, 0));
    }

    @Test
    void R13_repository_calls_inside_a_use_case_join_its_transaction() throws Exception {
        UserId user = newUser();
        BigDecimal seenInside = storage().transactions().inTransaction(() -> {
            storage().usage().append(user, List.of(usage(user, GPU_HOURS, "2", "a", MARCH, 1)), Map.of());
            BigDecimal fromOtherConnection = CompletableFuture
                    .supplyAsync(() -> storage().usage().totals(user, GPU_HOURS, MARCH).used()).join();
            assertThat(fromOtherConnection).as("not committed yet").isEqualByComparingTo("0");
            return storage().usage().totals(user, GPU_HOURS, MARCH).used();
        });

        assertThat(seenInside).as("read your own write").isEqualByComparingTo("2");
        assertThat(storage().usage().totals(user, GPU_HOURS, MARCH).used()).isEqualByComparingTo("2");
    }

    @Test
    void R20_a_claim_commits_on_its_own_and_a_completion_only_with_the_work() {
        UserId user = newUser();
        assertThatThrownBy(() -> storage().transactions().run(() -> {
            assertThat(storage().idempotency().claim(user, KEY, "fp", MARCH.start()))
                    .isInstanceOf(IdempotencyStore.Claimed.class);
            storage().idempotency().complete(user, KEY, "result");
            throw new IllegalStateException("the work fails");
        })).hasMessageContaining("the work fails");

        assertThat(storage().idempotency().claim(user, KEY, "fp", MARCH.start()))
                .as("claimed, not completed").isInstanceOf(IdempotencyStore.InFlight.class);
    }

    @Test
    void R20_a_key_completed_by_another_request_refuses_a_second_completion() {
        UserId user = newUser();
        storage().idempotency().claim(user, KEY, "fp", MARCH.start());
        storage().idempotency().complete(user, KEY, "first");

        assertThatThrownBy(() -> storage().idempotency().complete(user, KEY, "second"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(storage().idempotency().claim(user, KEY, "fp", MARCH.start()))
                .isEqualTo(new IdempotencyStore.Replay("first"));
    }

    @Test
    void R13_a_transient_conflict_runs_the_whole_use_case_again_once_it_commits() {
        UserId user = newUser();
        AtomicInteger attempts = new AtomicInteger();

        AppendResult result = storage().transactions().inTransaction(() -> {
            AppendResult appended = storage().usage().append(user, List.of(usage(user, GPU_HOURS, "2", "a", MARCH, 1)),
                    Map.of());
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException(new SQLException("could not serialize access", "40001"));
            }
            return appended;
        });

        assertThat(attempts).hasValue(2);
        assertThat(result).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(storage().usage().totals(user, GPU_HOURS, MARCH).used()).isEqualByComparingTo("2");
    }

    @Test
    void R13_other_failures_are_not_retried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> storage().transactions().run(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException(new SQLException("check constraint", "23514"));
        })).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void R22_the_largest_dimensions_a_record_may_carry_are_stored() {
        UserId user = newUser();
        Map<String, String> dimensions = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            dimensions.put(String.format("%064d", i), "\u0001".repeat(200));
        }
        UsageRecord record = new UsageRecord(user, GPU_HOURS, BigDecimal.ONE, MARCH.start(), new IdempotencyKey("big"),
                dimensions);

        assertThat(storage().usage().append(user, List.of(new PeriodRecord(record, MARCH)), Map.of()))
                .isEqualTo(new AppendResult.Appended(1, 0));
    }

    @Test
    void R10_reconcile_reports_and_recreates_a_missing_rollup() {
        UserId user = newUser();
        storage().usage().append(user, List.of(usage(user, GPU_HOURS, "2", "a", MARCH, 1), usage(user, GPU_HOURS, "3", "b", MARCH, 2)),
                Map.of());
        database().storage().jdbi().useHandle(handle -> handle.execute("DELETE FROM usage_rollups WHERE user_id = ?",
                user.value()));

        List<ReconcileReport.Drift> drifts = storage().usage().reconcile(false, ReconcileProgress.NONE).drifts()
                .stream().filter(d -> d.user().equals(user)).toList();
        assertThat(drifts).hasSize(1);
        assertThat(drifts.get(0).storedUsed()).isEqualByComparingTo("0");
        assertThat(drifts.get(0).factUsed()).isEqualByComparingTo("5");
        assertThat(storage().usage().totals(user, MARCH)).isEmpty();

        storage().usage().reconcile(true, ReconcileProgress.NONE);
        assertThat(storage().usage().totals(user, GPU_HOURS, MARCH).used()).isEqualByComparingTo("5");
    }

    private static final Instant CREDITS_AT = MARCH.start().plusSeconds(3600);
    private static final Instant CREDITS_EXPIRE = CREDITS_AT.plus(Duration.ofDays(1));

    private CreditTransaction credit(CreditEntry entry) {
        return ((CreditAppend.Appended) storage().credits().append(entry)).transaction();
    }

    private CreditTransaction creditGrant(UserId user, long amount, Instant expiresAt) {
        return credit(new CreditEntry(newId("tx"), user, CreditType.GRANT, amount, Optional.empty(), Optional.empty(),
                Optional.empty(), CREDITS_AT, false, new GrantTerms(50, Optional.ofNullable(expiresAt)),
                Optional.empty()));
    }

    private CreditTransaction creditSpend(UserId user, long credits, Instant at) {
        return credit(new CreditEntry(newId("tx"), user, CreditType.USAGE, -credits, Optional.of("export"),
                Optional.empty(), Optional.empty(), at, true));
    }

    private List<CreditReconcileReport.Drift> creditDrifts(UserId user) {
        return storage().credits().reconcile().drifts().stream().filter(d -> d.user().equals(user)).toList();
    }

    private void sql(String statement, Object... arguments) {
        database().storage().jdbi().useHandle(handle -> handle.execute(statement, arguments));
    }

    @Test
    void R31_reconcile_reports_a_balance_that_is_not_the_sum_of_its_entries() {
        UserId user = newUser();
        creditGrant(user, 100, null);
        creditSpend(user, 30, CREDITS_AT.plusSeconds(1));
        assertThat(creditDrifts(user)).isEmpty();

        sql("UPDATE credit_balances SET balance = balance + 5 WHERE user_id = ?", user.value());

        assertThat(creditDrifts(user)).containsExactly(new CreditReconcileReport.Drift(user,
                CreditReconcileReport.Kind.BALANCE, Optional.empty(), 75, 70));
    }

    @Test
    void R35_reconcile_reports_a_grant_whose_remainder_is_not_its_amount_less_draws_plus_refunds() {
        UserId user = newUser();
        CreditTransaction grant = creditGrant(user, 100, null);
        CreditTransaction spent = creditSpend(user, 30, CREDITS_AT.plusSeconds(1));
        assertThat(storage().credits().addRefunded(spent.id(), 10)).isTrue();
        credit(new CreditEntry(newId("tx"), user, CreditType.REFUND, 10, spent.operation(), Optional.of(spent.id()),
                Optional.empty(), CREDITS_AT.plusSeconds(2), false));
        assertThat(creditDrifts(user)).isEmpty();

        sql("UPDATE credit_grants SET remaining = remaining - 4 WHERE id = ?", grant.id());
        assertThat(creditDrifts(user)).containsExactly(new CreditReconcileReport.Drift(user,
                CreditReconcileReport.Kind.GRANT_REMAINING, Optional.of(grant.id()), 76, 80));

        sql("UPDATE credit_grants SET remaining = remaining + 4 WHERE id = ?", grant.id());
        sql("UPDATE credit_draws SET returned = 0 WHERE entry_id = ?", spent.id());
        assertThat(creditDrifts(user)).as("a refund's return lost").containsExactly(new CreditReconcileReport.Drift(
                user, CreditReconcileReport.Kind.GRANT_REMAINING, Optional.of(grant.id()), 80, 70));
    }

    @Test
    void R36_reconcile_reports_an_expired_grant_whose_remainder_is_not_what_its_expiry_wrote_off() {
        UserId user = newUser();
        CreditTransaction grant = creditGrant(user, 100, CREDITS_EXPIRE);
        creditSpend(user, 30, CREDITS_AT.plusSeconds(1));
        storage().credits().expire(user, CREDITS_EXPIRE);
        assertThat(creditDrifts(user)).isEmpty();

        sql("UPDATE credit_grants SET remaining = 50 WHERE id = ?", grant.id());
        assertThat(creditDrifts(user)).containsExactly(new CreditReconcileReport.Drift(user,
                CreditReconcileReport.Kind.GRANT_LAPSED, Optional.of(grant.id()), 50, 70));

        sql("UPDATE credit_grants SET remaining = 70, expired = FALSE, live = TRUE WHERE id = ?", grant.id());
        assertThat(creditDrifts(user)).as("live again after its expiry entry wrote it off")
                .containsExactly(new CreditReconcileReport.Drift(user, CreditReconcileReport.Kind.GRANT_REMAINING,
                        Optional.of(grant.id()), 70, 0));
    }

    @Test
    void R36_reconcile_reports_a_draw_from_a_grant_at_or_after_its_expiry() {
        UserId user = newUser();
        CreditTransaction grant = creditGrant(user, 100, CREDITS_EXPIRE);
        CreditTransaction spent = creditSpend(user, 30, CREDITS_EXPIRE.minusNanos(1));
        assertThat(creditDrifts(user)).as("the last instant before expiry may draw").isEmpty();

        sql("UPDATE credit_transactions SET created_at = ? WHERE id = ?", Instants.toNanos(CREDITS_EXPIRE),
                spent.id());

        assertThat(creditDrifts(user)).containsExactly(new CreditReconcileReport.Drift(user,
                CreditReconcileReport.Kind.DRAW_AFTER_EXPIRY, Optional.of(grant.id() + " by " + spent.id()), 30, 0));
    }

    @Test
    void R10_repairing_a_missing_rollup_keeps_usage_an_append_commits_meanwhile() throws Exception {
        UserId user = newUser();
        storage().usage().append(user, List.of(usage(user, GPU_HOURS, "2", "a", MARCH, 1)), Map.of());
        database().storage().jdbi().useHandle(handle -> handle.execute("DELETE FROM usage_rollups WHERE user_id = ?",
                user.value()));
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);

        // An append that has written its fact and recreated the rollup row, but not committed yet.
        CompletableFuture<AppendResult> inFlight = CompletableFuture.supplyAsync(() ->
                storage().transactions().inTransaction(() -> {
                    AppendResult result = storage().usage().append(user,
                            List.of(usage(user, GPU_HOURS, "3", "b", MARCH, 2)), Map.of());
                    appended.countDown();
                    await(commit);
                    return result;
                }));
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        // The repair sees fact a without a rollup, and waits for the append's row.
        CompletableFuture<ReconcileReport> repair = CompletableFuture.supplyAsync(() ->
                storage().usage().reconcile(true, ReconcileProgress.NONE));
        Thread.sleep(500);
        commit.countDown();

        assertThat(inFlight.get(20, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Appended(1, 0));
        repair.get(20, TimeUnit.SECONDS);
        assertThat(storage().usage().totals(user, GPU_HOURS, MARCH).used()).isEqualByComparingTo("5");
        assertThat(storage().usage().reconcile(false, ReconcileProgress.NONE).drifts())
                .noneMatch(drift -> drift.user().equals(user));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the transaction commit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
