package dev.tally.adapter.jdbc;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

class TmpGroupedTest {
    @RegisterExtension
    static final TestDatabase DATABASE = "pg".equals(System.getProperty("tmpdb")) ? TestDatabase.postgres() : TestDatabase.h2();

    @Nested
    class A extends GroupedAppendsBehaviour {
        @Override
        TestDatabase database() {
            return DATABASE;
        }
    }

    @Nested
    class B extends GroupCommitBehaviour {
        @Override
        TestDatabase database() {
            return DATABASE;
        }
    }
}
