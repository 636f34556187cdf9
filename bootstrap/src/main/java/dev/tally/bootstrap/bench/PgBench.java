package dev.tally.bootstrap.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code pgbench} with Tally's own single-decision transaction (docs/bench/pgbench-decision.sql)
 * and its grouped one (docs/bench/pgbench-grouped.sql, a group commit of several decisions) in a
 * scratch schema: created, migrated with Tally's migrations, filled by pgbench-setup.sql, and
 * dropped afterwards.
 */
final class PgBench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    /**
     * One pgbench run: transactions a second, their mean latency in milliseconds, and the
     * decisions each transaction makes.
     */
    record Result(String name, double tps, double meanLatencyMillis, int decisionsPerTransaction) {
        double decisionsPerSecond() {
            return tps * decisionsPerTransaction;
        }

        @Override
        public String toString() {
            return String.format("%-42s %8.0f transactions/s, mean latency %.2f ms", name, tps, meanLatencyMillis)
                    + (decisionsPerTransaction == 1 ? ""
                    : String.format(" (%.0f decisions/s)", decisionsPerSecond()));
        }
    }

    /** Where pgbench connects: a JDBC URL {@code jdbc:postgresql://host:port/db?user=...} taken apart. */
    record Target(String jdbcUrl, String host, int port, String database, String user) {

        static Target parse(String jdbcUrl) {
            if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("expected jdbc:postgresql://127.0.0.1:5432/DB?user=USER");
            }
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String user = "postgres";
            for (String pair : uri.getQuery() == null ? new String[0] : uri.getQuery().split("&")) {
                if (pair.startsWith("user=")) {
                    user = pair.substring("user=".length());
                }
            }
            String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (uri.getHost() == null || database.isEmpty()) {
                throw new IllegalArgumentException("expected jdbc:postgresql://127.0.0.1:5432/DB?user=USER");
            }
            return new Target(jdbcUrl, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user);
        }

        String inSchema(String schema) {
            return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }
    }

    private PgBench() {
    }

    /**
     * Runs the single-decision script without and with the reads, then the grouped one with
     * {@code group} decisions per transaction, at {@code clients} connections over {@code users}
     * users for {@code seconds} each: three results, in that order.
     */
    static List<Result> run(BenchScripts scripts, BenchHost host, Target target, int clients, int users, int seconds,
                            int group) throws IOException, InterruptedException, SQLException {
        LocalProcess.requireLoopback(target.host());
        String schema = "tally_pgbench_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = DriverManager.getConnection(target.jdbcUrl());
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            try {
                host.migrate(target.inSchema(schema));
                statement.execute("SET search_path TO " + schema);
                statement.execute(scripts.text(BenchScripts.PGBENCH_SETUP).replace(":users", String.valueOf(users)));
                List<Result> results = new ArrayList<>();
                Path single = scripts.path(BenchScripts.PGBENCH_DECISION);
                results.add(pgbench(target, schema, single, List.of("-D", "reads=0"), clients, users, seconds,
                        "pgbench: insert + conditional UPDATE", 1));
                results.add(pgbench(target, schema, single, List.of("-D", "reads=1"), clients, users, seconds,
                        "pgbench: key and user+plan reads + writes", 1));
                results.add(pgbench(target, schema, scripts.grouped(group), List.of("-D", "group=" + group), clients,
                        users, seconds, "pgbench: grouped, " + group + " decisions a commit", group));
                return results;
            } finally {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static Result pgbench(Target target, String schema, Path script, List<String> variables, int clients,
                                  int users, int seconds, String name, int decisionsPerTransaction)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared", "-h", target.host(),
                "-p", String.valueOf(target.port()), "-U", target.user(), "-c", String.valueOf(clients),
                "-j", String.valueOf(Math.min(clients, Runtime.getRuntime().availableProcessors())),
                "-T", String.valueOf(seconds), "-D", "users=" + users));
        command.addAll(variables);
        command.addAll(List.of("-f", script.toString(), target.database()));
        LocalProcess.Outcome outcome = LocalProcess.run(command, Map.of("PGOPTIONS", "-c search_path=" + schema),
                Duration.ofSeconds(seconds + 60L));
        Matcher tps = TPS.matcher(outcome.output());
        Matcher latency = LATENCY.matcher(outcome.output());
        if (outcome.exitCode() != 0 || !tps.find() || !latency.find()) {
            throw new IOException("pgbench failed (exit " + outcome.exitCode() + "): " + outcome.output().strip());
        }
        return new Result(name, Double.parseDouble(tps.group(1)), Double.parseDouble(latency.group(1)),
                decisionsPerTransaction);
    }
}
