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

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (afterCommit.get() != null) {
            return work.get();
        }
        List<Runnable> actions = new ArrayList<>();
        afterCommit.set(actions);
        T result;
        try {
            result = work.get();
        } finally {
            afterCommit.remove();
        }
        actions.forEach(Runnable::run);
        return result;
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
