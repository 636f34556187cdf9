package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.IdempotencyStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R23 and R20 through crashes: the runnable server runs as a child process on one database and
 * is killed with SIGKILL at a random moment under a mixed write load, then started again on the
 * same database, 8 times in the build ({@code -Dtally.soak.cycles=N} for a longer soak). Every request not answered before the kill is sent
 * again with its idempotency key once the server is back. In the end every acknowledged write is
 * stored exactly once and the rollups agree with the facts (R10 reconcile). On H2 (a file) and
 * on PostgreSQL (skipped, visibly, without {@code TALLY_TEST_POSTGRES_URL}).
 */
class KillNineSoakTest {

    private static final int CYCLES = Integer.getInteger("tally.soak.cycles", 8);
    private static final int CLIENTS = 3;
    private static final String ADMIN_KEY = "soak-admin-key-0123456789";
    /** How long after the server is listening it is killed, at random within these bounds. */
    private static final long KILL_AFTER_MIN_MS = 150;
    private static final long KILL_AFTER_MAX_MS = 900;
    /** A claim left in flight by a killed server holds its key until the claim's lease ends. */
    private static final Duration DRAIN_FOR = IdempotencyStore.LEASE.plusSeconds(15);

    private final AtomicLong startNanos = new AtomicLong();
    private final MixedWrites.Tally answers = new MixedWrites.Tally();
    private final AtomicInteger unanswered = new AtomicInteger();

    @Test
    void R23_kill_9_soak_on_an_h2_file_loses_and_doubles_nothing(@TempDir Path directory) throws Exception {
        soak("H2", "jdbc:h2:file:" + directory.resolve("tally").toAbsolutePath());
    }

    @Test
    void R23_kill_9_soak_on_postgresql_loses_and_doubles_nothing() throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema()) {
            soak("PostgreSQL", schema.url());
        }
    }

    private void soak(String database, String url) throws Exception {
        long started = System.nanoTime();
        MixedWrites writes = new MixedWrites("k");
        Queue<MixedWrites.Write> unacknowledged = new ConcurrentLinkedQueue<>();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            // Each is sent again once per cycle: one whose key is still claimed by a killed server
            // waits for a later cycle rather than being sent over and over.
            Queue<MixedWrites.Write> again = new ConcurrentLinkedQueue<>(unacknowledged);
            unacknowledged.clear();
            long starting = System.nanoTime();
            try (ServerProcess server = ServerProcess.start(url, ADMIN_KEY)) {
                startNanos.addAndGet(System.nanoTime() - starting);
                if (cycle == 0) {
                    MixedWrites.setUp(server.port, ADMIN_KEY);
                }
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    Thread client = new Thread(() -> drive(writes, again, unacknowledged, server.port),
                            "soak-client-" + c);
                    client.start();
                    clients.add(client);
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(KILL_AFTER_MIN_MS, KILL_AFTER_MAX_MS));
                server.kill();
                for (Thread client : clients) {
                    client.join();
                }
                unacknowledged.addAll(again);
            }
        }
        try (ServerProcess server = ServerProcess.start(url, ADMIN_KEY)) {
            drain(writes, unacknowledged, server.port);
            server.stop();
        }
        MixedWrites.Figures figures = writes.verify(url);
        System.out.printf("kill -9 soak on %s, %d cycles, %.1f s (%.1f s a start): %d writes, %s, %d unanswered"
                        + " (killed); acknowledged %d, lost %d, duplicated %d, rollups drifted %d%n",
                database, CYCLES, (System.nanoTime() - started) / 1e9, startNanos.get() / 1e9 / CYCLES,
                writes.created(), answers, unanswered.get(), figures.acknowledged(), figures.lost(),
                figures.duplicated(), figures.drifted());

        figures.anomalies().forEach(anomaly -> System.out.println("  " + anomaly));
        assertThat(answers.unexpected).as("answers other than 2xx, 503 and 409 in flight").isEmpty();
        assertThat(unanswered.get()).as("requests cut off by a kill").isPositive();
        assertThat(unacknowledged).as("writes never acknowledged").isEmpty();
        assertThat(figures.acknowledged()).isEqualTo(writes.created());
        assertThat(figures.lost()).as("acknowledged writes lost").isZero();
        assertThat(figures.duplicated()).as("writes stored twice").isZero();
        assertThat(figures.drifted()).as("rollups drifted from the facts").isZero();
    }

    /** Sends earlier unacknowledged writes first, then new ones, until the server is gone. */
    private void drive(MixedWrites writes, Queue<MixedWrites.Write> again, Queue<MixedWrites.Write> unacknowledged,
                       int port) {
        while (true) {
            MixedWrites.Write earlier = again.poll();
            MixedWrites.Write write = earlier != null ? earlier : writes.next();
            if (!sendOnce(writes, write, unacknowledged, port, earlier != null)) {
                return;
            }
        }
    }

    /** Sends every unacknowledged write until it is acknowledged, waiting out claims left in flight. */
    private void drain(MixedWrites writes, Queue<MixedWrites.Write> unacknowledged, int port) throws Exception {
        long giveUp = System.nanoTime() + DRAIN_FOR.toNanos();
        while (!unacknowledged.isEmpty() && System.nanoTime() < giveUp) {
            for (int n = unacknowledged.size(); n > 0; n--) {
                MixedWrites.Write write = unacknowledged.poll();
                if (!sendOnce(writes, write, unacknowledged, port, true)) {
                    throw new IllegalStateException("the server stopped answering while draining");
                }
            }
            if (!unacknowledged.isEmpty()) {
                Thread.sleep(200);
            }
        }
    }

    /**
     * Sends {@code write} once; puts it back with the unacknowledged ones unless it was
     * acknowledged. Returns false when the server did not answer (it was killed).
     */
    private boolean sendOnce(MixedWrites writes, MixedWrites.Write write, Queue<MixedWrites.Write> unacknowledged,
                             int port, boolean again) {
        MixedWrites.Answer answer;
        try {
            answer = writes.send(port, ADMIN_KEY, write);
        } catch (IOException killed) {
            answers.requests.incrementAndGet();
            unanswered.incrementAndGet();
            unacknowledged.add(write);
            return false;
        }
        if (!answers.count(write, answer, again)) {
            unacknowledged.add(write);
        }
        return true;
    }
}
