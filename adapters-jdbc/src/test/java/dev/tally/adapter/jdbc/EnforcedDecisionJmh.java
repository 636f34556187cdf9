package dev.tally.adapter.jdbc;

import dev.tally.application.Tally;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.UsageRecorded;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The library's own figure of issue 26 under JMH: enforced single-record decisions per second in
 * process, through {@code UsageService} ({@code tally.usage().record(..)} with {@code enforce = true})
 * over {@link JdbcStorage}, 16 threads, each recording for a user of its own under a plan whose limit
 * is never reached, so every decision is an admission. The JMH counterpart of
 * {@link GroupedDecisionBenchmark}.
 *
 * <p>Parameters: {@code database} {@code postgres} (a fresh schema of {@code TALLY_TEST_POSTGRES_URL},
 * dropped after the trial; setup fails saying so when the variable is unset) or {@code h2} (a file
 * database in a temp directory, deleted after); {@code mode} {@code grouped} (decisions grouped as
 * {@link JdbcStorage} opens the database: several lanes on PostgreSQL, one on an H2 file), {@code off}
 * (each decision in a transaction of its own) or a number of lanes ({@code -p mode=1,2,4});
 * {@code pool} the connection pool size (default 10). Warm-up is a minute by default, as the JIT
 * needs about that long on this path. After each iteration the decisions made, the group commits,
 * their mean size and the share of decisions taken in Java are printed, as
 * {@link GroupedDecisionBenchmark} prints them.
 *
 * <p>Not a test. Run with
 * <pre>{@code
 * TALLY_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *   mvn -pl adapters-jdbc -am -Pjmh -DskipTests verify -Djmh.args="EnforcedDecisionJmh"
 * }</pre>
 * and for a short smoke run {@code -Djmh.args="EnforcedDecisionJmh -wi 1 -i 1 -w 5s -r 5s"}; add
 * {@code -p database=h2} for the H2 file, {@code -p pool=20} or {@code -t 32} to vary the pool or the
 * callers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
@Warmup(iterations = 6, time = 10, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 10, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class EnforcedDecisionJmh {

    private static final MetricKey METRIC = new MetricKey("requests");
    private static final PlanId PLAN = new PlanId("bench");

    @Param({"postgres"})
    public String database;

    @Param({"grouped", "off"})
    public String mode;

    @Param({"10"})
    public int pool;

    private final List<Caller> callers = new CopyOnWriteArrayList<>();
    private String server;
    private String schema;
    private Path directory;
    private JdbcStorage storage;
    private JdbiTransactions transactions;
    private Tally tally;
    private long decisionsBefore;
    private long groupsBefore;
    private long piecesBefore;
    private long inJavaBefore;

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        String url;
        if (database.equals("h2")) {
            directory = Files.createTempDirectory("tally-jmh");
            url = "jdbc:h2:file:" + directory.resolve("tally").toAbsolutePath();
        } else if (database.equals("postgres")) {
            server = System.getenv("TALLY_TEST_POSTGRES_URL");
            if (server == null || server.isBlank()) {
                throw new IllegalStateException("TALLY_TEST_POSTGRES_URL is not set: set it to a PostgreSQL"
                        + " server (jdbc:postgresql://127.0.0.1:5432/test?user=postgres) or run -p database=h2");
            }
            schema = "tally_jmh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            execute(server, "CREATE SCHEMA " + schema);
            url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        } else {
            throw new IllegalArgumentException("database is postgres or h2, not " + database);
        }
        storage = JdbcStorage.open(url, pool);
        transactions = (JdbiTransactions) storage.ports().transactions();
        if (mode.equals("off")) {
            transactions.grouping(false);
        } else if (!mode.equals("grouped")) {
            transactions.grouping(true);
            transactions.lanes(Integer.parseInt(mode));
        }
        System.out.printf("%n%s, grouping %s in %d lane(s), pool %d%n", database,
                transactions.grouping() ? "on" : "off", transactions.lanes(), pool);
        tally = Tally.create(storage.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
        tally.plans().put(Plan.of(PLAN, "Bench", new PlanLimits(Map.of(METRIC, Limit.of(1_000_000_000_000L)))));
    }

    @Setup(Level.Iteration)
    public void count() {
        decisionsBefore = decisions();
        groupsBefore = transactions.groupCommits();
        piecesBefore = transactions.groupedPieces();
        inJavaBefore = transactions.groupedDecisions();
    }

    @TearDown(Level.Iteration)
    public void report() {
        long decisions = decisions() - decisionsBefore;
        long groups = transactions.groupCommits() - groupsBefore;
        long pieces = transactions.groupedPieces() - piecesBefore;
        long inJava = transactions.groupedDecisions() - inJavaBefore;
        System.out.printf("[%d decisions, %d groups, mean group %.2f, %.1f%% decided in Java] ", decisions, groups,
                groups == 0 ? 0.0 : (double) pieces / groups, decisions == 0 ? 0.0 : 100.0 * inJava / decisions);
    }

    /** The records made so far by all callers (read between iterations, when they stand still). */
    private long decisions() {
        return callers.stream().mapToLong(caller -> caller.next).sum();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, SQLException {
        try {
            if (storage != null) {
                storage.close();
            }
        } finally {
            if (schema != null) {
                execute(server, "DROP SCHEMA " + schema + " CASCADE");
            }
            if (directory != null) {
                try (Stream<Path> files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(EnforcedDecisionJmh::delete);
                }
            }
        }
    }

    /** One caller: a user of its own, put on the bench plan, and a counter for its idempotency keys. */
    @State(Scope.Thread)
    public static class Caller {

        private UserId user;
        private volatile long next;

        @Setup(Level.Trial)
        public void join(EnforcedDecisionJmh bench) {
            synchronized (bench.callers) {
                user = new UserId("bench-" + bench.callers.size());
                bench.callers.add(this);
            }
            bench.tally.users().put(PutUser.of(user, PLAN));
        }

        RecordUsage nextRecord() {
            return new RecordUsage(user, List.of(new UsageItem(METRIC, BigDecimal.ONE, Optional.empty(),
                    new IdempotencyKey(user.value() + "-" + next++), Map.of())), true);
        }
    }

    /** One enforced single record; a refusal fails the run rather than counting as a decision. */
    @Benchmark
    public UsageRecorded enforcedRecord(Caller caller) {
        return tally.usage().record(caller.nextRecord()).orElseThrow();
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
