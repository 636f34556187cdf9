package dev.tally.adapter.jdbc;

import dev.tally.application.port.TallyStorage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
}
