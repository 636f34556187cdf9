package dev.tally.adapter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.TallyStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of group commit share: grouping forced on for each test, in one lane so that what
 * is submitted while a group is held open queues behind it (only some databases group by default;
 * the mechanism is held to its promises on both), restored after it; and callers that submit
 * decisions from threads of their own.
 */
abstract class GroupingFixture {

    abstract TestDatabase database();

    ExecutorService callers;
    private boolean groupedBefore;
    private int lanesBefore;

    @BeforeEach
    void startCallers() {
        callers = Executors.newCachedThreadPool();
        groupedBefore = transactions().grouping();
        lanesBefore = transactions().lanes();
        transactions().grouping(true);
        transactions().lanes(1);
    }

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
        transactions().grouping(groupedBefore);
        transactions().lanes(lanesBefore);
    }

    TallyStorage storage() {
        return database().storage().ports();
    }

    JdbiTransactions transactions() {
        return (JdbiTransactions) storage().transactions();
    }

    /**
     * Submits work and waits until it is queued behind the group held open, so that queue order is
     * submission order.
     */
    <T> T queued(Supplier<T> submit) {
        int waitingBefore = transactions().groupWaiting();
        T submitted = submit.get();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (transactions().groupWaiting() < waitingBefore + 1) {
            assertThat(Instant.now()).as("queued").isBefore(deadline);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }
        return submitted;
    }

    /** Waits for {@code latch}, which a test counts down to let a group it holds open go on. */
    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the group go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }
}
