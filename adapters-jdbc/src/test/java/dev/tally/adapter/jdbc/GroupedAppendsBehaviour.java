package dev.tally.adapter.jdbc;

import static dev.tally.application.port.contract.Fixtures.GPU_HOURS;
import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static dev.tally.application.port.contract.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.Denied;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.TallyStorage;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Group commit in multi-row statements ({@link GroupedAppends}): the appends of a group are decided
 * in Java on rollups and facts read for the whole group at once, and each still gets the answer
 * its own transaction would have given (R13, R20); a fact stored meanwhile makes the group run
 * again member by member; several groups commit side by side; limits stay exact on two nodes.
 */
abstract class GroupedAppendsBehaviour extends GroupingFixture {

    private static final MetricKey OTHER = new MetricKey("other_metric");

    /** One member: the record it appends, within {@code limit}, as {@code UsageService} submits it. */
    private CompletableFuture<AppendResult> member(UserId user, String quantity, String key, long limit) {
        PeriodRecord record = usage(user, GPU_HOURS, quantity, key, MARCH, 1);
        return grouped(user, List.of(record), () -> storage().usage().append(user, List.of(record),
                Map.of(GPU_HOURS, Limit.of(limit))));
    }

    private <T> CompletableFuture<T> grouped(UserId user, List<PeriodRecord> records, Supplier<T> work) {
        return CompletableFuture.supplyAsync(() -> transactions().inGroupedAppend(user, records, work), callers);
    }

    /** Holds a group open until {@code release}, so that what is submitted meanwhile queues or takes another lane. */
    private CompletableFuture<AppendResult> holdGroupOpen(CountDownLatch running, CountDownLatch release) {
        UserId holder = newUser();
        PeriodRecord record = usage(holder, GPU_HOURS, "1", "hold", MARCH, 1);
        return grouped(holder, List.of(record), () -> {
            AppendResult result = storage().usage().append(holder, List.of(record), Map.of());
            running.countDown();
            await(release);
            return result;
        });
    }

    private CompletableFuture<AppendResult> queue(UserId user, String quantity, String key, long limit) {
        return queued(() -> member(user, quantity, key, limit));
    }

    /** A rollup that exists already, so that a group decides its appends on what it read. */
    private void existing(UserId user, String key) {
        storage().usage().append(user, List.of(usage(user, GPU_HOURS, "1", key, MARCH, 1)), Map.of());
    }

    @Test
    void R13_R20_a_group_decides_each_append_on_the_rows_it_read_and_each_gets_its_own_answer() throws Exception {
        UserId full = newUser();
        UserId roomy = newUser();
        UserId retried = newUser();
        existing(full, "f-0");
        existing(roomy, "o-0");
        existing(retried, "r-1");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<AppendResult> holder = holdGroupOpen(running, release);
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
        long groupsBefore = transactions().groupCommits();
        long decidedBefore = transactions().groupedDecisions();

        List<CompletableFuture<AppendResult>> answers = new ArrayList<>();
        answers.add(queue(full, "3", "f-1", 5));      // 1 + 3 of 5
        answers.add(queue(full, "2", "f-2", 5));      // 4 + 2 > 5: refused, on what f-1 left
        answers.add(queue(full, "1", "f-3", 5));      // 4 + 1 of 5
        answers.add(queue(roomy, "2", "o-1", 5));     // another user
        answers.add(queue(retried, "1", "r-1", 5));   // stored before the group: a duplicate
        answers.add(queue(retried, "3", "r-1", 5));   // the key with another payload
        answers.add(queue(roomy, "2", "o-1", 5));     // stored by a member before it: a duplicate
        release.countDown();

        assertThat(holder.get(20, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Appended(1, 0));
        List<AppendResult> results = answers.stream().map(CompletableFuture::join).toList();
        assertThat(transactions().groupCommits() - groupsBefore).as("one commit for the seven").isEqualTo(2);
        assertThat(transactions().groupedDecisions() - decidedBefore).as("every member decided in Java")
                .isEqualTo(7);
        assertThat(results.get(0)).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(results.get(1)).isInstanceOf(Denied.class);
        assertThat(((Denied) results.get(1)).current().used()).isEqualByComparingTo("4");
        assertThat(results.get(2)).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(results.get(3)).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(results.get(4)).isEqualTo(new AppendResult.Appended(0, 1));
        assertThat(results.get(5)).isInstanceOf(AppendResult.KeyReused.class);
        assertThat(results.get(6)).isEqualTo(new AppendResult.Appended(0, 1));
        // Read on another node: what the group committed. (One pool for every test: an embedder's
        // pools stay open until the database closes.)
        TallyStorage otherNode = database().sharedOtherNode();
        assertThat(otherNode.usage().totals(full, GPU_HOURS, MARCH).used()).isEqualByComparingTo("5");
        assertThat(otherNode.usage().totals(roomy, GPU_HOURS, MARCH).used()).isEqualByComparingTo("3");
        assertThat(otherNode.usage().totals(retried, GPU_HOURS, MARCH).used()).isEqualByComparingTo("1");
        assertThat(otherNode.usage().records(full, GPU_HOURS, MARCH)).hasSize(3);
    }

    @Test
    void R75_a_watched_rollup_reports_its_used_after_each_member() throws Exception {
        UserId user = newUser();
        existing(user, "w-0");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<AppendResult> holder = holdGroupOpen(running, release);
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<AppendResult>> answers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            PeriodRecord record = usage(user, GPU_HOURS, "2", "w-" + i, MARCH, 1);
            answers.add(queued(() -> grouped(user, List.of(record), () -> storage().usage().append(user,
                    List.of(record), Map.of(GPU_HOURS, Limit.of(100)), Set.of(GPU_HOURS),
                    dev.tally.domain.plan.MetricBound.unbounded(), List.of()))));
        }
        release.countDown();
        holder.get(20, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            AppendResult.Appended appended = (AppendResult.Appended) answers.get(i).join();
            assertThat(appended.raised()).singleElement().satisfies(raised -> {
                assertThat(raised.added()).isEqualByComparingTo("2");
            });
            assertThat(appended.raised().get(0).usedAfter()).isEqualByComparingTo(String.valueOf(3 + 2 * i));
        }
    }

    @Test
    void R20_a_fact_stored_by_another_transaction_meanwhile_runs_the_group_again_member_by_member()
            throws Exception {
        UserId user = newUser();
        UserId bystander = newUser();
        existing(user, "s-0");
        existing(bystander, "b-0");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<AppendResult> holder = holdGroupOpen(running, release);
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<AppendResult> first = queue(bystander, "1", "b-1", 5);
        PeriodRecord mine = usage(user, GPU_HOURS, "2", "s-1", MARCH, 1);
        CompletableFuture<AppendResult> racing = queued(() -> grouped(user, List.of(mine), () -> {
            // Another node stores the key (for a metric the group did not lock) after the group read.
            database().sharedOtherNode().usage().append(user, List.of(usage(user, OTHER, "1", "s-1", MARCH, 1)),
                    Map.of());
            return storage().usage().append(user, List.of(mine), Map.of(GPU_HOURS, Limit.of(5)));
        }));
        release.countDown();
        holder.get(20, TimeUnit.SECONDS);

        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(racing.get(20, TimeUnit.SECONDS)).isInstanceOf(AppendResult.KeyReused.class);
        assertThat(storage().usage().totals(user, GPU_HOURS, MARCH).used()).isEqualByComparingTo("1");
        assertThat(storage().usage().totals(bystander, GPU_HOURS, MARCH).used()).isEqualByComparingTo("2");
    }

    @Test
    void a_group_commits_while_another_is_held_open_in_a_lane_of_its_own() throws Exception {
        transactions().lanes(2);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<AppendResult> holder = holdGroupOpen(running, release);
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
        UserId other = newUser();
        try {
            assertThat(member(other, "1", "l-1", 5).get(20, TimeUnit.SECONDS))
                    .isEqualTo(new AppendResult.Appended(1, 0));
            assertThat(holder).as("still held open").isNotDone();
        } finally {
            release.countDown();
        }
        assertThat(holder.get(20, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Appended(1, 0));
    }

    @Test
    void R13_groups_in_several_lanes_on_two_nodes_grant_exactly_each_users_limit() throws Exception {
        transactions().lanes(3);
        List<UserId> users = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            users.add(newUser());
        }
        long decidedBefore = transactions().groupedDecisions();
        TallyStorage otherNode = database().sharedOtherNode();
        JdbiTransactions otherTransactions = (JdbiTransactions) otherNode.transactions();
        boolean otherGrouped = otherTransactions.grouping();
        int otherLanes = otherTransactions.lanes();
        try {
            otherTransactions.grouping(true);
            otherTransactions.lanes(3);
            List<TallyStorage> nodes = List.of(storage(), otherNode);
            List<AppendResult> results = concurrently(48, 360, i -> () -> {
                TallyStorage node = nodes.get(i % 2);
                UserId user = users.get((i * 7) % users.size());
                PeriodRecord record = usage(user, GPU_HOURS, "1", "req-" + i, MARCH, 1);
                return node.transactions().inGroupedAppend(user, List.of(record), () -> node.usage().append(user,
                        List.of(record), Map.of(GPU_HOURS, Limit.of(10))));
            });

            assertThat(results).filteredOn(AppendResult.Appended.class::isInstance).hasSize(120);
            for (UserId user : users) {
                assertThat(otherNode.usage().totals(user, GPU_HOURS, MARCH).used())
                        .isEqualByComparingTo(BigDecimal.TEN);
            }
        } finally {
            otherTransactions.grouping(otherGrouped);
            otherTransactions.lanes(otherLanes);
        }
        assertThat(transactions().groupedDecisions() - decidedBefore).as("decisions made in groups").isPositive();
    }

}
