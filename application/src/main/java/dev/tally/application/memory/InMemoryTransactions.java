package dev.tally.application.memory;

import dev.tally.application.port.Transactions;
import java.util.function.Supplier;

/**
 * Transactions for the in-memory ports. Each in-memory port operation is atomic on its own, and
 * the use cases make their only refusable step (a limit, a balance) the first write, so running
 * the work directly keeps every use case all-or-nothing within one process. The tests hold every
 * use case to this: a write left behind by a refusal or a failure fails them.
 */
public final class InMemoryTransactions implements Transactions {

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }
}
