package dev.tally.application.port;

import java.util.function.Supplier;

/**
 * Runs one use case as one transaction: every port call inside {@code work} commits together or
 * not at all. Implementations may run {@code work} more than once when the store reports a
 * transient conflict (a serialization failure or deadlock) or loses its connection before the
 * commit, so work must not have side effects outside the ports. When storage cannot be reached or
 * the transaction cannot complete, they throw {@link StorageUnavailableException}.
 */
public interface Transactions {

    <T> T inTransaction(Supplier<T> work);

    /** {@link #inTransaction(Supplier)} for work without a result. */
    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
