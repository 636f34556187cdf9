package dev.tally.bootstrap.bench;

import dev.tally.adapter.http.RateLimits;
import dev.tally.adapter.http.ServerSettings;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures {@code POST /v1/users/{user_id}/usage} throughput over loopback HTTP. In process (the
 * default): the whole stack on a free port, batches of 100 records then single records with
 * {@code "enforce": true}, each phase bounded in requests and in time, at each connection count.
 * With {@code --url}: a server already running on this machine, see {@link ExternalBench}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure usage-recording throughput over loopback HTTP: in process, or with --url against"
                + " a running server on this machine (driving wrk when installed, and pgbench with --pgbench-url)."})
public final class BenchCommand implements Callable<Integer> {

    private static final int DEFAULT_REQUESTS = 20_000;

    /** Numbers every request of every phase, so that no two requests share an idempotency key. */
    private final AtomicLong sequence = new AtomicLong();
    private final BenchHost host;

    /** The bench over what the composition root hands it. */
    public BenchCommand(BenchHost host) {
        this.host = host;
    }

    @Option(names = "--db-url", paramLabel = "URL", defaultValue = BenchHost.MEMORY,
            description = "in process: storage to measure against (a throwaway database!); default: ${DEFAULT-VALUE}")
    String dbUrl;

    @Option(names = "--url", paramLabel = "URL",
            description = "measure the server running at this URL on this machine (e.g. http://127.0.0.1:8080)"
                    + " instead of one in process; needs --admin-key")
    URI url;

    @Option(names = "--admin-key", paramLabel = "KEY", defaultValue = "${env:TALLY_ADMIN_KEY}",
            description = "with --url: the server's admin key, to create a plan, users and their keys;"
                    + " env TALLY_ADMIN_KEY")
    String adminKey;

    @Option(names = "--pgbench-url", paramLabel = "JDBC_URL",
            description = "with --url: also run pgbench with Tally's decision transaction in a scratch schema of"
                    + " this PostgreSQL database on this machine (jdbc:postgresql://127.0.0.1:5432/DB?user=USER)")
    String pgbenchUrl;

    @Option(names = "--client", defaultValue = "auto",
            description = "with --url: load generator, auto (wrk when installed), wrk or java; default: ${DEFAULT-VALUE}")
    String client;

    @Option(names = "--seconds", defaultValue = "10", description = "time limit of each phase; default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "3",
            description = "with --url: warm-up before each phase; default: ${DEFAULT-VALUE}")
    int warmupSeconds;

    @Option(names = "--server-warmup-seconds", defaultValue = "180",
            description = "with --url: unrecorded enforced single records at full load before the first phase,"
                    + " so that the server's JIT has compiled its hot paths (0: none); default: ${DEFAULT-VALUE}")
    int serverWarmupSeconds;

    @Option(names = "--pgbench-group", defaultValue = "16",
            description = "with --pgbench-url: decisions per transaction of the grouped pgbench run;"
                    + " default: ${DEFAULT-VALUE}")
    int pgbenchGroup;

    @Option(names = "--requests",
            description = "request limit of each phase of the Java client; default: " + DEFAULT_REQUESTS
                    + " in process, none with --url")
    Integer maxRequests;

    @Option(names = {"--connections", "--threads"}, defaultValue = "8,32", split = ",", paramLabel = "N[,N...]",
            description = "concurrent clients (connections); every phase runs at each count; default: ${DEFAULT-VALUE}")
    List<Integer> connections;

    @Option(names = "--users", defaultValue = "8",
            description = "users the clients spread over (1: every write contends for one user's limit);"
                    + " default: ${DEFAULT-VALUE}")
    int users;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || warmupSeconds < 0 || serverWarmupSeconds < 0 || connections.isEmpty()
                || connections.stream().anyMatch(c -> c == null || c < 1) || users < 1 || pgbenchGroup < 1
                || maxRequests != null && maxRequests < 1) {
            throw usage("--seconds, --requests, --connections, --users and --pgbench-group must be positive,"
                    + " --warmup-seconds and --server-warmup-seconds not negative");
        }
        if (url == null) {
            if (pgbenchUrl != null) {
                throw usage("--pgbench-url needs --url");
            }
            return inProcess();
        }
        return external();
    }

    private int external() throws Exception {
        if (adminKey == null || adminKey.isBlank()) {
            throw usage("--url needs --admin-key (or TALLY_ADMIN_KEY)");
        }
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw usage("--url must be an http:// URL of this machine, e.g. http://127.0.0.1:8080");
        }
        boolean useWrk = switch (client) {
            case "auto" -> LocalProcess.installed("wrk");
            case "wrk" -> true;
            case "java" -> false;
            default -> throw usage("--client must be auto, wrk or java");
        };
        if (useWrk && !LocalProcess.installed("wrk")) {
            throw usage("--client wrk: wrk is not installed (Debian: apt-get install wrk)");
        }
        Optional<PgBench.Target> pgbench;
        try {
            pgbench = Optional.ofNullable(pgbenchUrl).map(PgBench.Target::parse);
            LocalProcess.requireLoopback(url.getHost());
            if (pgbench.isPresent()) {
                LocalProcess.requireLoopback(pgbench.get().host());
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (pgbench.isPresent() && !LocalProcess.installed("pgbench")) {
            throw usage("--pgbench-url: pgbench is not installed (it comes with PostgreSQL)");
        }
        URI base = URI.create(url.getScheme() + "://" + url.getAuthority());
        long errors = new ExternalBench(new ExternalBench.Settings(base, adminKey.strip(), connections, users,
                seconds, warmupSeconds, maxRequests == null ? Long.MAX_VALUE : maxRequests, useWrk, pgbench,
                serverWarmupSeconds, pgbenchGroup), host, spec.commandLine().getOut()).run();
        return errors == 0 ? 0 : 1;
    }

    private int inProcess() throws Exception {
        int requests = maxRequests == null ? DEFAULT_REQUESTS : maxRequests;
        PrintWriter out = spec.commandLine().getOut();
        try (BenchHost.Server app = host.open(dbUrl)) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            PlanId plan = new PlanId("bench-" + run);
            app.tally().plans().put(Plan.of(plan, "Bench", new PlanLimits(Map.of(
                    new MetricKey("bench.enforced"), Limit.of(1_000_000_000L)))));
            // It measures what the server can do, so no key's rate (R67) caps it.
            int port = app.serve(ServerSettings.onPort(0).withRates(RateLimits.NONE));
            List<HttpLoad.Target> targets = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                UserId user = new UserId("bench-" + run + "-" + u);
                app.tally().users().put(PutUser.of(user, plan));
                targets.add(new HttpLoad.Target(user.toString(),
                        URI.create("http://127.0.0.1:" + port + "/v1/users/" + user + "/usage"),
                        app.tally().access().createUserKey(user).key()));
            }
            out.printf("Benchmarking POST /v1/users/{user_id}/usage on %s, %s threads over %d users, at most %d"
                    + " requests or %d s per phase%n", app.storageDescription(),
                    connections.stream().map(String::valueOf).collect(Collectors.joining(", ")), users, requests,
                    seconds);
            out.flush();

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpLoad.Shape batch = HttpLoad.Shape.batch(run);
            HttpLoad.Shape single = HttpLoad.Shape.single(run);
            // Warm-up: lets the JIT compile the hot paths before anything is measured.
            int most = Collections.max(connections);
            for (HttpLoad.Shape shape : List.of(batch, single)) {
                HttpLoad.run(http, targets, shape, most, Math.min(2_000, requests), Duration.ofSeconds(3), sequence);
            }
            for (int threads : connections) {
                for (HttpLoad.Shape shape : List.of(batch, single)) {
                    HttpLoad.Result result = HttpLoad.run(http, targets, shape, threads, requests,
                            Duration.ofSeconds(seconds), sequence);
                    out.println(connections.size() == 1 ? result : threads + " threads: " + result);
                }
            }
        }
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
