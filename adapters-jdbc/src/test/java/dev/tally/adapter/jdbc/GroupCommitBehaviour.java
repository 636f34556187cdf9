package dev.tally.adapter.jdbc;

import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.GPU_HOURS;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static dev.tally.application.port.contract.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.Denied;
import dev.tally.application.port.TallyStorage;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Group commit (issue 10's main lever) keeps every promise of a transaction of one's own: each
 * decision of a group gets its own answer, a refusal or a failure of one does not disturb the
 * others, nothing is answered before the group's commit, and limits stay exact on two nodes.
 */
abstract class GroupCommitBehaviour extends GroupingFixture {

    /** Appends one record of {@code quantity} as a grouped use case, within {@code limit}. */
    private Supplier<AppendResult> append(UserId user, String quantity, String key, long limit) {
        return () -> storage().usage().append(user, List.of(usage(user, GPU_HOURS, quantity, key, MARCH, 1)),
                Map.of(GPU_HOURS, Limit.of(limit)));
    }

    private <T> CompletableFuture<T> grouped(UserId user, Supplier<T> work) {
        return CompletableFuture.supplyAsync(() -> transactions().inGroupedTransaction(user.value(), work), callers);
    }

    /** Holds the group being committed open until {@code release}, so that what is submitted meanwhile queues. */
    private CompletableFuture<AppendResult> holdGroupOpen(CountDownLatch running, CountDownLatch release) {
        UserId holder = newUser();
        return grouped(holder, () -> {
            AppendResult result = append(holder, "1", "hold", 10).get();
            running.countDown();
            await(release);
            return result;
        });
    }

    /** Submits {@code work} behind the group held open (see {@link #queued}). */
    private <T> CompletableFuture<T> queue(UserId user, Supplier<T> work) {
        return queued(() -> grouped(user, work));
    }

    @Test
    void R13_decisions_queued_together_share_one_commit_and_each_gets_its_own_answer() throws Exception {
        UserId full = newUser();
        UserId roomy = newUser();
        UserId retried = newUser();
        storage().usage().append(retried, List.of(usage(retried, GPU_HOURS, "1", "r-1", MARCH, 1)), Map.of());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<AppendResult> holder = holdGroupOpen(running, release);
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
        long groupsBefore = transactions().groupCommits();

        List<CompletableFuture<AppendResult>> answers = new ArrayList<>();
        answers.add(queue(full, append(full, "4", "f-1", 5)));        // fits: 4 of 5
        answers.add(queue(full, append(full, "4", "f-2", 5)));        // no room left: refused
        answers.add(queue(roomy, append(roomy, "2", "o-1", 5)));      // another user, fits
        answers.add(queue(retried, append(retried, "1", "r-1", 5)));  // a retry: duplicate
        answers.add(queue(retried, append(retried, "3", "r-1", 5)));  // the key with another payload
        release.countDown();

        assertThat(holder.get(20, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Appended(1, 0));
        List<AppendResult> results = answers.stream().map(CompletableFuture::join).toList();
        assertThat(transactions().groupCommits() - groupsBefore).as("the held group's commit, then one for the five")
                .isEqualTo(2);
        // Within a group, work runs in user order, and in submission order for one user.
        assertThat(results.get(0)).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(results.get(1)).isInstanceOf(Denied.class);
        assertThat(((Denied) results.get(1)).current().used()).isEqualByComparingTo("4");
        assertThat(results.get(2)).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(results.get(3)).isEqualTo(new AppendResult.Appended(0, 1));
        assertThat(results.get(4)).isInstanceOf(AppendResult.KeyReused.class);
        try (JdbcStorage otherNode = database().openAnotherNode()) {
            assertThat(otherNode.ports().usage().totals(full, GPU_HOURS, MARCH).used()).isEqualByComparingTo("4");
            assertThat(otherNode.ports().usage().totals(roomy, GPU_HOURS, MARCH).used()).isEqualByComparingTo("2");
            assertThat(otherNode.ports().usage().totals(retried, GPU_HOURS, MARCH).used())
                    .isEqualByComparingTo("1");
        }
    }

    @Test
    void R13_a_failing_decision_leaves_the_others_of_its_group_committed_and_writes_nothing_itself()
            throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<AppendResult> holder = holdGroupOpen(running, release);
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

        UserId before = newUser();
        UserId failing = newUser();
        UserId after = newUser();
        CompletableFuture<AppendResult> first = queue(before, append(before, "2", "b-1", 5));
        CompletableFuture<AppendResult> broken = queue(failing, () -> {
            append(failing, "3", "x-1", 5).get();
            throw new IllegalStateException("the use case fails after writing");
        });
        CompletableFuture<AppendResult> last = queue(after, append(after, "1", "a-1", 5));
        release.countDown();

        holder.get(20, TimeUnit.SECONDS);
        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(last.get(20, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(broken).failsWithin(Duration.ofSeconds(20)).withThrowableThat()
                .havingRootCause().withMessageContaining("fails after writing");
        assertThat(storage().usage().totals(before, GPU_HOURS, MARCH).used()).isEqualByComparingTo("2");
        assertThat(storage().usage().totals(after, GPU_HOURS, MARCH).used()).isEqualByComparingTo("1");
        assertThat(storage().usage().totals(failing, MARCH)).as("nothing of the failed use case").isEmpty();
    }

    @Test
    void R23_no_decision_of_a_group_is_answered_before_the_group_commits() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<AppendResult> holder = holdGroupOpen(running, release);
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

        // Users in order: the last one's work waits inside the group's transaction.
        UserId early = new UserId("a-" + newUser().value());
        UserId late = new UserId("z-" + newUser().value());
        CountDownLatch lateRunning = new CountDownLatch(1);
        CountDownLatch lateRelease = new CountDownLatch(1);
        CompletableFuture<AppendResult> earlyAnswer = queue(early, append(early, "2", "e-1", 5));
        CompletableFuture<AppendResult> lateAnswer = queue(late, () -> {
            AppendResult result = append(late, "1", "l-1", 5).get();
            lateRunning.countDown();
            await(lateRelease);
            return result;
        });
        release.countDown();
        holder.get(20, TimeUnit.SECONDS);
        assertThat(lateRunning.await(20, TimeUnit.SECONDS)).isTrue();

        Thread.sleep(200);
        assertThat(earlyAnswer).as("written, but its group has not committed").isNotDone();
        assertThat(CompletableFuture.supplyAsync(() -> storage().usage().totals(early, GPU_HOURS, MARCH).used())
                .get(20, TimeUnit.SECONDS)).as("invisible to others before the commit").isEqualByComparingTo("0");
        lateRelease.countDown();

        assertThat(earlyAnswer.get(20, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(lateAnswer.get(20, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(storage().usage().totals(early, GPU_HOURS, MARCH).used()).isEqualByComparingTo("2");
    }

    @Test
    void R13_grouped_decisions_on_two_nodes_grant_exactly_each_users_limit() throws Exception {
        List<UserId> users = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            users.add(newUser());
        }
        long groupsBefore = transactions().groupCommits();
        long piecesBefore = transactions().groupedPieces();
        try (JdbcStorage otherNode = database().openAnotherNode()) {
            ((JdbiTransactions) otherNode.ports().transactions()).grouping(true);
            List<TallyStorage> nodes = List.of(storage(), otherNode.ports());
            // 12 users at a limit of 10, 30 attempts each, spread over both nodes in varying order.
            List<AppendResult> results = concurrently(48, 360, i -> () -> {
                TallyStorage node = nodes.get(i % 2);
                UserId user = users.get((i * 7) % users.size());
                return node.transactions().inGroupedTransaction(user.value(), () -> node.usage().append(user,
                        List.of(usage(user, GPU_HOURS, "1", "req-" + i, MARCH, 1)), Map.of(GPU_HOURS, Limit.of(10))));
            });

            assertThat(results).filteredOn(AppendResult.Appended.class::isInstance).hasSize(120);
            for (UserId user : users) {
                assertThat(otherNode.ports().usage().totals(user, GPU_HOURS, MARCH).used())
                        .isEqualByComparingTo(BigDecimal.TEN);
            }
        }
        assertThat(transactions().groupedPieces() - piecesBefore).as("decisions shared commits")
                .isGreaterThan(transactions().groupCommits() - groupsBefore);
    }

}
