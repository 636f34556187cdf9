package dev.tally.adapter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.application.Tally;
import dev.tally.application.port.StorageUnavailableException;
import dev.tally.domain.plan.PlanId;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * R66 at the storage port: a connection lost before the commit is retried on a fresh one, and
 * what cannot complete (no connection in time, a connection lost on every attempt, a conflict
 * through every retry) is {@link StorageUnavailableException}, after which storage works again by
 * itself. Run against H2 and PostgreSQL by the subclasses.
 */
abstract class StorageFaults {

    abstract TestDatabase database();

    /** The SQL that answers the id of the session (backend) it runs on. */
    abstract String sessionIdSql();

    /** The SQL that ends the session whose id is bound as {@code :id}, from another session. */
    abstract String terminateSql();

    /** Makes the database report a serialization failure on {@code handle}, or a repository one. */
    abstract void conflict(Handle handle);

    @Test
    void R66_a_connection_lost_before_the_commit_is_retried_on_a_fresh_one() {
        JdbcStorage storage = database().storage();
        AtomicInteger attempts = new AtomicInteger();

        var plans = storage.ports().transactions().inTransaction(() -> {
            if (attempts.incrementAndGet() == 1) {
                terminateOwnSession(storage);
            }
            return storage.ports().plans().all();
        });

        assertThat(plans).isNotNull();
        assertThat(attempts).hasValue(2);
    }

    @Test
    void R66_a_connection_lost_under_a_plain_JDBC_statement_of_the_hot_path_is_retried_on_a_fresh_one() {
        JdbcStorage storage = database().storage();
        AtomicInteger attempts = new AtomicInteger();

        // The key lookup and the ledger's reads run in plain JDBC, not through JDBI: the retry must
        // recognise the driver's error all the same.
        var key = storage.ports().transactions().inTransaction(() -> {
            if (attempts.incrementAndGet() == 1) {
                terminateOwnSession(storage);
            }
            return storage.ports().apiKeys().findByHash("no-such-key-hash");
        });

        assertThat(key).isEmpty();
        assertThat(attempts).hasValue(2);
    }

    @Test
    void R66_a_connection_lost_on_every_attempt_is_storage_unavailable_then_storage_recovers() {
        JdbcStorage storage = database().storage();
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> storage.ports().transactions().inTransaction(() -> {
            attempts.incrementAndGet();
            terminateOwnSession(storage);
            return storage.ports().plans().all();
        })).isInstanceOf(StorageUnavailableException.class).hasMessageContaining("connection was lost");

        assertThat(attempts).hasValue(Db.ATTEMPTS);
        assertThat(storage.ports().plans().find(new PlanId("anything"))).isEmpty();
    }

    @Test
    void R66_a_conflict_through_every_retry_is_storage_unavailable() {
        JdbcStorage storage = database().storage();
        Db db = storage.db();
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> storage.ports().transactions().inTransaction(() -> db.read(handle -> {
            attempts.incrementAndGet();
            conflict(handle);
            return null;
        }))).isInstanceOf(StorageUnavailableException.class).hasMessageContaining("conflict persisted");

        assertThat(attempts).hasValue(Db.ATTEMPTS);
    }

    @Test
    void R66_no_free_connection_in_time_is_storage_unavailable_to_a_use_case_until_one_is_free() throws Exception {
        try (JdbcStorage node = database().openAnotherNode()) {
            HikariDataSource pool = (HikariDataSource) node.dataSource();
            pool.setConnectionTimeout(250);
            Tally tally = Tally.create(node.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                    held.add(pool.getConnection());
                }

                assertThatThrownBy(() -> tally.access().hasAdminKey())
                        .isInstanceOf(StorageUnavailableException.class)
                        .hasMessageContaining("no database connection");
                assertThatThrownBy(() -> tally.access().createAdminKey())
                        .isInstanceOf(StorageUnavailableException.class);

                held.remove(0).close();
                assertThat(tally.access().hasAdminKey()).isFalse();
            } finally {
                for (Connection connection : held) {
                    connection.close();
                }
            }
        }
    }

    /** Ends, from another session, the session of the transaction open on this thread. */
    private void terminateOwnSession(JdbcStorage storage) {
        long own = storage.db().read(handle -> handle.createQuery(sessionIdSql()).mapTo(Long.class).one());
        storage.jdbi().useHandle(other -> other.createQuery(terminateSql()).bind("id", own).mapTo(Boolean.class).one());
    }
}
