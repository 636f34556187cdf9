package dev.tally.adapter.jdbc.bench;

import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditEntry;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.GrantTerms;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What one credit spend costs when the user holds many live grants (R35): the spend reads only
 * the live grants it drains, in spending order, through the spending index, so its cost should
 * not grow with the number of grants. Measures the latency of 1-credit spends for a user with 1
 * and with 10 000 live grants (each of 1 000 000 credits, priorities and expiries spread), on H2
 * (file) and PostgreSQL. Run with {@code mvn -pl adapters-jdbc -am test-compile exec:java} and
 * {@code -Dexec.mainClass=dev.tally.adapter.jdbc.bench.GrantSpendBenchmark
 * -Dexec.classpathScope=test}; options as system properties: {@code grants} (default
 * {@code 1,10000}), {@code databases} ({@code h2,postgres}), {@code spends} (default 2 000).
 */
public final class GrantSpendBenchmark {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private GrantSpendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("grants", "1,10000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        List<String> databases = List.of(System.getProperty("databases", "h2,postgres").split(","));
        int spends = Integer.getInteger("spends", 2_000);
        System.out.printf("%-10s %8s %10s %10s %10s %10s%n", "database", "grants", "median_us", "p90_us", "p99_us",
                "mean_us");
        for (String database : databases) {
            for (int size : sizes) {
                run(database.trim(), size, spends);
            }
        }
    }

    private static void run(String database, int grants, int spends) throws Exception {
        Optional<BenchDatabase> created = BenchDatabase.create(database);
        if (created.isEmpty()) {
            return;
        }
        try (BenchDatabase db = created.get(); JdbcStorage storage = JdbcStorage.open(db.url(), 4)) {
            CreditTransactionRepository credits = storage.ports().credits();
            UserId user = new UserId("bench-" + grants);
            // The first grant through the store (it creates the balance row), the rest in bulk.
            append(credits, new CreditEntry(id(), user, CreditType.GRANT, 1_000_000, Optional.empty(),
                    Optional.empty(), Optional.empty(), NOW, false, new GrantTerms(0, Optional.empty()),
                    Optional.empty()));
            if (grants > 1) {
                String series = db.postgres() ? "generate_series(2, " + grants + ")" : "SYSTEM_RANGE(2, " + grants + ")";
                String n = db.postgres() ? "generate_series" : "X";
                long now = NOW.getEpochSecond() * 1_000_000_000L;
                storage.jdbi().useHandle(handle -> {
                    handle.execute("INSERT INTO credit_grants (id, user_id, entry_type, amount, remaining, priority, "
                            + "expires_at, spend_until, live, created_at) SELECT 'txn_bulk' || " + n + ", '"
                            + user.value() + "', 'grant', 1000000, 1000000, MOD(" + n + ", 101), NULL, "
                            + Long.MAX_VALUE + " - " + n + ", TRUE, " + now + " FROM " + series);
                    handle.execute("UPDATE credit_balances SET balance = balance + " + (grants - 1) * 1_000_000L
                            + " WHERE user_id = '" + user.value() + "'");
                    if (db.postgres()) {
                        handle.execute("ANALYZE credit_grants");
                    }
                });
            }
            long[] nanos = new long[spends];
            for (int i = -200; i < spends; i++) {
                CreditEntry spend = new CreditEntry(id(), user, CreditType.USAGE, -1, Optional.of("bench"),
                        Optional.empty(), Optional.empty(), NOW.plusSeconds(1), true);
                long started = System.nanoTime();
                append(credits, spend);
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - started;
                }
            }
            Arrays.sort(nanos);
            System.out.printf("%-10s %8d %10d %10d %10d %10d%n", database, grants, nanos[spends / 2] / 1000,
                    nanos[spends * 9 / 10] / 1000, nanos[spends * 99 / 100] / 1000,
                    Arrays.stream(nanos).sum() / spends / 1000);
        }
    }

    private static void append(CreditTransactionRepository credits, CreditEntry entry) {
        if (!(credits.append(entry) instanceof CreditAppend.Appended)) {
            throw new IllegalStateException("not written: " + entry);
        }
    }

    private static String id() {
        return "txn_" + UUID.randomUUID().toString().replace("-", "");
    }
}
