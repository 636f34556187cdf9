package dev.tally.adapter.http;

import dev.tally.application.memory.AllOrNothingCheck;
import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.port.TallyStorage;
import java.util.function.UnaryOperator;

/** Fresh storage for one end-to-end test, and its disposal afterwards. */
public interface StorageFixture {

    /** Fresh, empty storage, migrated if it is a database. */
    TallyStorage open();

    /** Releases what {@link #open()} opened. */
    void close();

    /**
     * In-memory storage, watched so that a use case which leaves a write behind when it refuses or
     * fails fails the test at {@link #close()} (see {@link AllOrNothingCheck}).
     */
    static StorageFixture inMemory() {
        AllOrNothingCheck check = new AllOrNothingCheck();
        return new StorageFixture() {
            @Override
            public TallyStorage open() {
                return check.around(InMemoryStorage.create());
            }

            @Override
            public void close() {
                check.assertNone();
            }
        };
    }

    /** In-memory storage with some of its ports replaced by {@code change}, e.g. to fail or to count calls. */
    static StorageFixture inMemoryWith(UnaryOperator<TallyStorage> change) {
        return new StorageFixture() {
            @Override
            public TallyStorage open() {
                return change.apply(InMemoryStorage.create());
            }

            @Override
            public void close() {
            }
        };
    }
}
