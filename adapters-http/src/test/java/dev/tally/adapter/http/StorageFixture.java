package dev.tally.adapter.http;

import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.port.TallyStorage;

/** Fresh storage for one end-to-end test, and its disposal afterwards. */
public interface StorageFixture {

    /** Fresh, empty storage, migrated if it is a database. */
    TallyStorage open();

    /** Releases what {@link #open()} opened. */
    void close();

    /** In-memory storage: nothing to release. */
    static StorageFixture inMemory() {
        return new StorageFixture() {
            @Override
            public TallyStorage open() {
                return InMemoryStorage.create();
            }

            @Override
            public void close() {
            }
        };
    }
}
