package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.adapter.http.ApiClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * R38 with R13 across nodes: two API servers, each with its own connection pool, on one PostgreSQL
 * schema; 64 writers record a credit-priced metric through both against a balance of N credits.
 * Exactly floor(N / price) records are admitted, every other one is {@code 402
 * insufficient_credits}, no reader and no ledger entry ever sees the balance below zero, and the
 * final balance is exactly N minus what the admitted records cost.
 */
class TwoNodeCreditPriceTest {

    private static final int WRITERS = 64;
    private static final int RECORDS_PER_WRITER = 3;
    private static final long BALANCE = 100;
    private static final long PRICE = 3;

    @Test
    void R38_64_writers_on_two_nodes_spend_exactly_what_the_balance_pays_for_and_never_below_zero() throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema();
             TallyApp first = TallyApp.open(schema.url(), Clock.systemUTC());
             TallyApp second = TallyApp.open(schema.url(), Clock.systemUTC())) {
            String adminKey = first.ensureAdminKey(Optional.empty()).orElseThrow();
            List<ApiClient> nodes = List.of(new ApiClient(first.serve(0), adminKey),
                    new ApiClient(second.serve(0), adminKey));
            ApiClient admin = nodes.get(0);
            assertThat(admin.put("/v1/plans/priced", "{\"credit_prices\": {\"exports\": " + PRICE + "}}").status())
                    .isEqualTo(200);
            assertThat(admin.put("/v1/users/acme", "{\"plan_id\": \"priced\"}").status()).isEqualTo(200);
            assertThat(admin.post("/v1/users/acme/credits/purchases", "{\"amount\": " + BALANCE + "}", "buy-1")
                    .status()).isEqualTo(201);

            AtomicInteger keys = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong lowestSeen = new AtomicLong(Long.MAX_VALUE);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
            // A reader on the second node watches the balance while the writers run.
            Future<?> reader = pool.submit(() -> {
                while (writing.get()) {
                    long balance = nodes.get(1).get("/v1/users/acme/credits/balance").json().get("balance").asLong();
                    lowestSeen.accumulateAndGet(balance, Math::min);
                }
                return null;
            });
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    int admitted = 0;
                    for (int n = 0; n < RECORDS_PER_WRITER; n++) {
                        ApiClient.Response answer = nodes.get((writer + n) % 2).post("/v1/users/acme/usage",
                                "{\"enforce\": true, \"records\": [{\"metric\": \"exports\", \"quantity\": 1,"
                                        + " \"idempotency_key\": \"w-" + keys.incrementAndGet() + "\"}]}");
                        assertThat(answer.status()).as(answer.toString()).isIn(200, 402);
                        if (answer.status() == 200) {
                            admitted++;
                        } else {
                            assertThat(answer.error()).isEqualTo("insufficient_credits");
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
            writing.set(false);
            reader.get();
            pool.shutdownNow();

            long expected = BALANCE / PRICE;
            long finalBalance = admin.get("/v1/users/acme/credits/balance").json().get("balance").asLong();
            System.out.printf("PostgreSQL, two nodes, %d writers, %d records at %d credits against %d credits:"
                            + " %d admitted, %d refused with 402, final balance %d, lowest balance read %d%n",
                    WRITERS, WRITERS * RECORDS_PER_WRITER, PRICE, BALANCE, admitted, refused.get(), finalBalance,
                    lowestSeen.get());
            assertThat(admitted).isEqualTo(expected);
            assertThat(refused.get()).isEqualTo(WRITERS * RECORDS_PER_WRITER - expected);
            assertThat(finalBalance).isEqualTo(BALANCE - expected * PRICE);
            assertThat(lowestSeen.get()).isGreaterThanOrEqualTo(0);
            try (Connection connection = DriverManager.getConnection(schema.url());
                 Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT MIN(balance_after) FROM credit_transactions"
                        + " WHERE user_id = 'acme'")).isGreaterThanOrEqualTo(0);
                assertThat(single(statement, "SELECT COUNT(*) FROM credit_transactions WHERE user_id = 'acme'"
                        + " AND entry_type = 'usage'")).isEqualTo(expected);
                assertThat(single(statement, "SELECT COUNT(*) FROM usage_facts WHERE user_id = 'acme'"
                        + " AND metric = 'exports'")).isEqualTo(expected);
            }
        }
    }

    private static long single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
