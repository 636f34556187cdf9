package dev.tally.application.memory;

import dev.tally.application.port.Transactions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Transactions for the in-memory ports. Each in-memory port operation is atomic on its own, and
 * the use cases make their only refusable step (a limit, a balance) the first write, so running
 * the work directly keeps every use case all-or-nothing within one process. The tests hold every
 * use case to this: a write left behind by a refusal or a failure fails them.
 *
 * <p>What is to run after the commit runs when the outermost work returns, and not when it throws.
 */
public final class InMemoryTransactions implements Transactions {

    /** The actions waiting for this thread's outermost work to return; null outside any work. */
    private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();
    /** What is to run when this thread's outermost work ends, returning or throwing. */
    private final ThreadLocal<List<Runnable>> whenEnded = new ThreadLocal<>();

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (afterCommit.get() != null) {
            return work.get();
        }
        List<Runnable> actions = new ArrayList<>();
        List<Runnable> ending = new ArrayList<>();
        afterCommit.set(actions);
        whenEnded.set(ending);
        T result;
        try {
            result = work.get();
        } finally {
            afterCommit.remove();
            whenEnded.remove();
            ending.forEach(Runnable::run);
        }
        actions.forEach(Runnable::run);
        return result;
    }

    /**
     * Runs {@code action} when this thread's outermost work ends, whether it returns or throws (as a
     * database releases row locks), or at once outside any work.
     */
    void whenEnded(Runnable action) {
        List<Runnable> ending = whenEnded.get();
        if (ending == null) {
            action.run();
        } else {
            ending.add(action);
        }
    }

    @Override
    public void afterCommit(Runnable action) {
        List<Runnable> actions = afterCommit.get();
        if (actions == null) {
            action.run();
        } else {
            actions.add(action);
        }
    }
}
