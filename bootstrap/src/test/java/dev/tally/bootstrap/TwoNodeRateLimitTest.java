package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.adapter.http.ApiClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * R90 across nodes: two API servers, each with its own connection pool, on one PostgreSQL schema,
 * hammered by 64 writers at a rate of 100 per 10 s without burst: in no window of 10 s of the
 * admitted records' server instants are more than 100; and one node fed a steady stream at the
 * rate admits every record of it.
 */
class TwoNodeRateLimitTest {

    private static final int LIMIT = 100;
    private static final int PER_SECONDS = 10;
    private static final int WRITERS = 64;
    private static final Duration HAMMER = Duration.ofSeconds(15);
    private static final long WINDOW_NANOS = PER_SECONDS * 1_000_000_000L;

    @Test
    void R90_two_nodes_on_one_postgresql_never_admit_more_than_the_rate_in_any_window() throws Exception {
        try (TwoNodes twoNodes = TwoNodes.onPostgres()) {
            List<ApiClient> nodes = twoNodes.nodes();
            ApiClient admin = twoNodes.admin();
            assertThat(admin.put("/v1/plans/rated", "{\"rate_limits\": {\"calls\": {\"limit\": " + LIMIT
                    + ", \"per_seconds\": " + PER_SECONDS + "}}}").status()).isEqualTo(200);
            assertThat(admin.put("/v1/users/acme", "{\"plan_id\": \"rated\"}").status()).isEqualTo(200);

            AtomicInteger keys = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            long end = System.nanoTime() + HAMMER.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    int admitted = 0;
                    for (int n = 0; System.nanoTime() < end; n++) {
                        ApiClient.Response answer = nodes.get((writer + n) % 2).post("/v1/users/acme/usage",
                                "{\"enforce\": true, \"records\": [{\"metric\": \"calls\", \"quantity\": 1,"
                                        + " \"idempotency_key\": \"w-" + keys.incrementAndGet() + "\"}]}");
                        assertThat(answer.status()).as(answer.toString()).isIn(200, 429);
                        if (answer.status() == 200) {
                            admitted++;
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                    return admitted;
                }));
            }
            int admitted = 0;
            for (Future<Integer> writer : writers) {
                admitted += writer.get();
            }
            pool.shutdownNow();

            List<Long> instants = admittedInstants(twoNodes.url());
            int fullest = fullestWindow(instants);
            System.out.printf("PostgreSQL, two nodes, %d writers for %d s at %d per %d s without burst: %d admitted,"
                    + " %d refused with 429, at most %d in any %d s window of server instants%n", WRITERS,
                    HAMMER.toSeconds(), LIMIT, PER_SECONDS, admitted, refused.get(), fullest, PER_SECONDS);
            assertThat(instants).hasSize(admitted);
            assertThat(fullest).as("admitted in the fullest window of %d s", PER_SECONDS).isLessThanOrEqualTo(LIMIT);
            // Without the rate every request would have been admitted, far more than the limit per window.
            assertThat(admitted + refused.get()).isGreaterThan(2 * LIMIT);
            assertThat(admitted).isPositive();
        }
    }

    @Test
    void R90_a_steady_stream_at_the_rate_is_admitted_whole() throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema();
             TallyApp app = TallyApp.open(schema.url(), Clock.systemUTC())) {
            String adminKey = app.ensureAdminKey(Optional.empty()).orElseThrow();
            ApiClient admin = new ApiClient(app.serve(0), adminKey);
            // A burst of two absorbs the jitter of a real network and a busy server: a cell may be
            // stamped up to two intervals late and the next on time.
            assertThat(admin.put("/v1/plans/rated", "{\"rate_limits\": {\"calls\": {\"limit\": " + LIMIT
                    + ", \"per_seconds\": " + PER_SECONDS + ", \"burst\": 2}}}").status()).isEqualTo(200);
            assertThat(admin.put("/v1/users/acme", "{\"plan_id\": \"rated\"}").status()).isEqualTo(200);
            for (int i = 0; i < 30; i++) {
                // Warm the path up with records that are not enforced, so not rated.
                admin.post("/v1/users/acme/usage", "{\"records\": [{\"metric\": \"warm\", \"quantity\": 1,"
                        + " \"idempotency_key\": \"warm-" + i + "\"}]}");
            }

            int cells = 30;
            long interval = WINDOW_NANOS / LIMIT;
            List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger sent = new AtomicInteger();
            // Each record is sent on schedule by a thread of its own: a slow answer never delays the next.
            ScheduledExecutorService pace = Executors.newScheduledThreadPool(8);
            ScheduledFuture<?> stream = pace.scheduleAtFixedRate(() -> {
                int n = sent.incrementAndGet();
                if (n <= cells) {
                    statuses.add(admin.post("/v1/users/acme/usage", "{\"enforce\": true, \"records\": [{\"metric\":"
                            + " \"calls\", \"quantity\": 1, \"idempotency_key\": \"s-" + n + "\"}]}").status());
                }
            }, 0, interval, TimeUnit.NANOSECONDS);
            while (statuses.size() < cells) {
                Thread.sleep(50);
            }
            stream.cancel(false);
            pace.shutdownNow();
            System.out.printf("PostgreSQL, one node, a stream of %d at %d per %d s: %d admitted%n", cells, LIMIT,
                    PER_SECONDS, statuses.stream().filter(s -> s == 200).count());
            assertThat(statuses).hasSize(cells).containsOnly(200);
        }
    }

    /** The server instants (ns) of the admitted records, in order, as stored. */
    private static List<Long> admittedInstants(String url) throws Exception {
        List<Long> instants = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT occurred_at FROM usage_facts WHERE user_id = 'acme'"
                     + " AND metric = 'calls' ORDER BY occurred_at")) {
            while (rows.next()) {
                instants.add(rows.getLong(1));
            }
        }
        return instants;
    }

    /** The most instants in any window [t, t + 10 s): the fullest one starts at an instant. */
    private static int fullestWindow(List<Long> sorted) {
        int fullest = 0;
        int last = 0;
        for (int first = 0; first < sorted.size(); first++) {
            while (last < sorted.size() && sorted.get(last) < sorted.get(first) + WINDOW_NANOS) {
                last++;
            }
            fullest = Math.max(fullest, last - first);
        }
        return fullest;
    }
}
