package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.IdempotencyStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * R66 and R20 under storage faults: the real server on PostgreSQL takes a mixed write load from
 * several clients while another thread keeps terminating the server's database backends. Every
 * request answered 2xx is stored exactly once; every one answered 503 (with {@code Retry-After})
 * is retried with its key until it is 2xx, and is then stored exactly once; nothing is a 500.
 * Only this test's own connections are terminated (they carry an application name of their own),
 * so tests running beside it on the same server are not disturbed. Skipped, visibly, without
 * {@code TALLY_TEST_POSTGRES_URL}.
 */
class BackendTerminationTest {

    private static final Duration LOAD = Duration.ofSeconds(10);
    private static final int MAX_WRITES = 2000;
    private static final int CLIENTS = 6;
    private static final Duration TERMINATE_EVERY = Duration.ofMillis(200);
    /** A retry may meet the claim of a request that died mid-write until the claim's lease ends. */
    private static final Duration GIVE_UP_AFTER = IdempotencyStore.LEASE.plusSeconds(15);

    private final MixedWrites.Tally answers = new MixedWrites.Tally();
    private final AtomicInteger terminated = new AtomicInteger();

    @Test
    void R66_backends_terminated_under_load_answer_503_and_every_write_is_stored_exactly_once() throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema()) {
            String application = "tally-fault-" + schema.schema();
            String url = schema.url() + "&ApplicationName=" + application;
            MixedWrites writes = new MixedWrites("f");
            long started = System.nanoTime();
            try (TallyApp app = TallyApp.open(url, Clock.systemUTC())) {
                String adminKey = app.ensureAdminKey(Optional.empty()).orElseThrow();
                int port = app.serve(0);
                MixedWrites.setUp(port, adminKey);
                load(writes, port, adminKey, schema.server(), application);
            }
            MixedWrites.Figures figures = writes.verify(schema.url());
            System.out.printf("Backend terminations on PostgreSQL, %d clients, %.1f s: %d writes, %s;"
                            + " %d backends terminated; acknowledged %d, lost %d, duplicated %d, rollups drifted %d%n",
                    CLIENTS, (System.nanoTime() - started) / 1e9, writes.created(), answers, terminated.get(),
                    figures.acknowledged(), figures.lost(), figures.duplicated(), figures.drifted());

            figures.anomalies().forEach(anomaly -> System.out.println("  " + anomaly));
            assertThat(answers.unexpected).as("answers other than 2xx, 503 and 409 in flight").isEmpty();
            assertThat(answers.serverErrors).as("500s").hasValue(0);
            assertThat(terminated.get()).as("backends terminated under the load").isGreaterThan(10);
            assertThat(figures.acknowledged()).as("every write acknowledged in the end").isEqualTo(writes.created());
            assertThat(figures.lost()).as("acknowledged writes lost").isZero();
            assertThat(figures.duplicated()).as("writes stored twice").isZero();
            assertThat(figures.drifted()).as("rollups drifted from the facts").isZero();
        }
    }

    /** Drives the clients until the time or the writes run out, terminating backends all along. */
    private void load(MixedWrites writes, int port, String adminKey, String server, String application)
            throws Exception {
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread terminator = new Thread(() -> {
            while (loading.get()) {
                sleep(TERMINATE_EVERY.toMillis());
                terminated.addAndGet(terminate(server, application));
            }
        }, "backend-terminator");
        terminator.start();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            long end = System.nanoTime() + LOAD.toNanos();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    while (System.nanoTime() < end && writes.created() < MAX_WRITES) {
                        deliver(writes, writes.next(), port, adminKey);
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            loading.set(false);
            terminator.join();
            clients.shutdownNow();
        }
    }

    /** Sends {@code write}, and again with the same key after a 503 or a 409 in flight, until it is 2xx. */
    private void deliver(MixedWrites writes, MixedWrites.Write write, int port, String adminKey) throws IOException {
        long giveUp = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        for (int attempt = 0; ; attempt++) {
            if (answers.count(write, writes.send(port, adminKey, write), attempt > 0)) {
                return;
            }
            if (System.nanoTime() > giveUp) {
                answers.unexpected.add(write.kind() + " " + write.key() + ": still not 2xx after " + GIVE_UP_AFTER);
                return;
            }
            // Sooner than Retry-After asks, to keep the test short; the server must cope either way.
            sleep(ThreadLocalRandom.current().nextLong(20, 60));
        }
    }

    /**
     * Terminates the backends of this test's server; returns how many were terminated. The pids
     * are read first and terminated one by one: in a single query the planner may call
     * {@code pg_terminate_backend} before the filter, on every backend of the server.
     */
    static int terminate(String server, String application) {
        try (Connection connection = DriverManager.getConnection(server)) {
            List<Integer> pids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
                select.setString(1, application);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        pids.add(rows.getInt(1));
                    }
                }
            }
            int terminated = 0;
            try (PreparedStatement kill = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
                for (int pid : pids) {
                    kill.setInt(1, pid);
                    try (ResultSet result = kill.executeQuery()) {
                        terminated += result.next() && result.getBoolean(1) ? 1 : 0;
                    }
                }
            }
            return terminated;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot terminate backends", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
