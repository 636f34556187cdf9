package dev.tally.bootstrap.bench;

import static dev.tally.bootstrap.CommandLineTest.tally;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tally.adapter.http.RateLimits;
import dev.tally.adapter.http.ServerSettings;
import dev.tally.bootstrap.CommandLineTest.Run;
import dev.tally.bootstrap.OpenStorage;
import dev.tally.bootstrap.TallyApp;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code tally bench --url}: its arguments, and short runs against a real server (Java client, wrk, pgbench). */
class BenchCommandTest {

    private static final String ADMIN_KEY = "bench-test-admin-key-0123456789";
    /** A server measured for what it can do, as measure-warm.sh serves one: no key's rate caps it (R67). */
    private static final ServerSettings UNBOUNDED = ServerSettings.onPort(0).withRates(RateLimits.NONE);

    @Test
    void external_mode_refuses_what_it_cannot_run() {
        assertUsageError(tally("bench", "--url", "http://127.0.0.1:1"), "--admin-key");
        assertUsageError(tally("bench", "--url", "http://10.1.2.3:8080", "--admin-key", ADMIN_KEY),
                "only runs against this machine");
        assertUsageError(tally("bench", "--url", "https://127.0.0.1:8443", "--admin-key", ADMIN_KEY), "http://");
        assertUsageError(tally("bench", "--url", "http://127.0.0.1:1", "--admin-key", ADMIN_KEY, "--client", "ab"),
                "--client must be auto, wrk or java");
        assertUsageError(tally("bench", "--url", "http://127.0.0.1:1", "--admin-key", ADMIN_KEY,
                "--pgbench-url", "postgres://127.0.0.1/test"), "jdbc:postgresql://");
        assertUsageError(tally("bench", "--url", "http://127.0.0.1:1", "--admin-key", ADMIN_KEY,
                "--pgbench-url", "jdbc:postgresql://10.1.2.3:5432/test?user=postgres"), "only runs against this machine");
        assertUsageError(tally("bench", "--pgbench-url", "jdbc:postgresql://127.0.0.1:5432/test"), "needs --url");
        assertUsageError(tally("bench", "--seconds", "0"), "must be positive");
        assertUsageError(tally("bench", "--requests", "0"), "must be positive");
        assertUsageError(tally("bench", "--connections", "8,0"), "must be positive");
        assertUsageError(tally("bench", "--server-warmup-seconds", "-1"), "not negative");
        assertThat(tally("bench", "--help").out()).contains("--url", "--admin-key", "--pgbench-url", "--client",
                "--warmup-seconds", "--connections", "--server-warmup-seconds", "--pgbench-group");
    }

    @Test
    void java_client_measures_every_phase_of_a_running_server() {
        try (TallyApp app = TallyApp.open(OpenStorage.MEMORY, Clock.systemUTC())) {
            app.ensureAdminKey(Optional.of(ADMIN_KEY));
            int port = app.serve(UNBOUNDED);

            Run bench = tally("bench", "--url", "http://127.0.0.1:" + port, "--admin-key", ADMIN_KEY,
                    "--client", "java", "--seconds", "1", "--warmup-seconds", "0", "--server-warmup-seconds", "0",
                    "--connections", "2", "--users", "2", "--requests", "200");

            assertThat(bench.exitCode()).as(bench.out() + bench.err()).isZero();
            assertThat(bench.out()).contains("with the Java client: 2 connections over 2 users",
                    "| connections | measure | per second | p50 ms | p99 ms | errors |",
                    "| POST …/usage, enforced single record |", "| POST …/usage, batches of 100 records |",
                    "| GET …/usage |", "| GET …/entitlements/{metric} |").doesNotContain("pgbench", "warmed");
        }
    }

    @Test
    void warms_the_server_then_measures_every_phase_at_each_connection_count() {
        try (TallyApp app = TallyApp.open(OpenStorage.MEMORY, Clock.systemUTC())) {
            app.ensureAdminKey(Optional.of(ADMIN_KEY));
            int port = app.serve(UNBOUNDED);

            Run bench = tally("bench", "--url", "http://127.0.0.1:" + port, "--admin-key", ADMIN_KEY,
                    "--client", "java", "--seconds", "1", "--warmup-seconds", "0", "--server-warmup-seconds", "1",
                    "--connections", "2,3", "--users", "2", "--requests", "100");

            assertThat(bench.exitCode()).as(bench.out() + bench.err()).isZero();
            Matcher warmed = Pattern.compile("warmed the server for 1 s at 3 connections \\(enforced single records,"
                    + " ([0-9,]+) requests/s at the end, 0 errors\\)").matcher(bench.out());
            assertThat(warmed.find()).as(bench.out()).isTrue();
            assertThat(Double.parseDouble(warmed.group(1).replace(",", ""))).isPositive();
            assertThat(bench.out().indexOf("warmed the server")).as("the warm-up comes before any measured phase")
                    .isLessThan(bench.out().indexOf("2 connections:"));
            for (int connections : new int[] {2, 3}) {
                Matcher single = rate(connections, "POST …/usage, enforced single record").matcher(bench.out());
                assertThat(single.find()).as(bench.out()).isTrue();
                assertThat(Double.parseDouble(single.group(1).replace(",", ""))).isPositive();
                assertThat(bench.out()).contains("| " + connections + " | POST …/usage, batches of 100 records |",
                        "| " + connections + " | GET …/usage |",
                        "| " + connections + " | GET …/entitlements/{metric} |");
            }
        }
    }

    @Test
    void pgbench_runs_the_single_and_the_grouped_decision_beside_tally() {
        String postgres = System.getenv("TALLY_TEST_POSTGRES_URL");
        Assumptions.assumeTrue(postgres != null && !postgres.isBlank(), "TALLY_TEST_POSTGRES_URL is not set");
        Assumptions.assumeTrue(LocalProcess.installed("pgbench"), "pgbench is not installed");
        try (TallyApp app = TallyApp.open(OpenStorage.MEMORY, Clock.systemUTC())) {
            app.ensureAdminKey(Optional.of(ADMIN_KEY));
            int port = app.serve(UNBOUNDED);

            Run bench = tally("bench", "--url", "http://127.0.0.1:" + port, "--admin-key", ADMIN_KEY,
                    "--client", "java", "--seconds", "1", "--warmup-seconds", "0", "--server-warmup-seconds", "0",
                    "--connections", "2", "--users", "2", "--requests", "100", "--pgbench-group", "4",
                    "--pgbench-url", postgres);

            assertThat(bench.exitCode()).as(bench.out() + bench.err()).isZero();
            for (String measure : new String[] {"pgbench: insert + conditional UPDATE",
                    "pgbench: key and user+plan reads + writes"}) {
                Matcher row = Pattern.compile("\\| 2 \\| " + Pattern.quote(measure) + " \\| ([0-9,]+) transactions \\|")
                        .matcher(bench.out());
                assertThat(row.find()).as(bench.out()).isTrue();
                assertThat(Double.parseDouble(row.group(1).replace(",", ""))).isPositive();
            }
            Matcher grouped = Pattern.compile("\\| 2 \\| pgbench: grouped, 4 decisions a commit \\| ([0-9,]+) decisions"
                    + " \\(([0-9,]+) transactions\\) \\|").matcher(bench.out());
            assertThat(grouped.find()).as(bench.out()).isTrue();
            double decisions = Double.parseDouble(grouped.group(1).replace(",", ""));
            double transactions = Double.parseDouble(grouped.group(2).replace(",", ""));
            assertThat(decisions).isPositive().isCloseTo(transactions * 4, within(4.0));
            assertThat(bench.out()).containsPattern("At 2 connections, Tally's enforced decisions ÷ pgbench's:"
                    + " [0-9.]+ \\(writes only\\), [0-9.]+ \\(with the reads\\); ÷ pgbench grouped decisions"
                    + " \\(4 a commit\\): [0-9.]+");
        }
    }

    @Test
    void wrk_measures_every_phase_and_paces_one_at_half_the_peak() {
        Assumptions.assumeTrue(LocalProcess.installed("wrk"),
                "wrk is not installed (Debian: apt-get install wrk); .ci/run installs it");
        try (TallyApp app = TallyApp.open(OpenStorage.MEMORY, Clock.systemUTC())) {
            app.ensureAdminKey(Optional.of(ADMIN_KEY));
            int port = app.serve(UNBOUNDED);

            Run bench = tally("bench", "--url", "http://127.0.0.1:" + port, "--admin-key", ADMIN_KEY,
                    "--client", "wrk", "--seconds", "2", "--warmup-seconds", "0", "--server-warmup-seconds", "0",
                    "--connections", "2",
                    "--users", "2");

            assertThat(bench.exitCode()).as(bench.out() + bench.err()).isZero();
            Matcher peak = rate("POST …/usage, enforced single record").matcher(bench.out());
            Matcher paced = rate("POST …/usage, enforced single record, paced at half that").matcher(bench.out());
            assertThat(peak.find()).as(bench.out()).isTrue();
            assertThat(paced.find()).as(bench.out()).isTrue();
            double half = Double.parseDouble(peak.group(1).replace(",", "")) / 2;
            assertThat(Double.parseDouble(paced.group(1).replace(",", "")))
                    .as("paced to half the peak, give or take the schedule's rounding to milliseconds")
                    .isBetween(half * 0.6, half * 1.1);
            assertThat(bench.out()).contains("| POST …/usage, batches of 100 records |", "| GET …/usage |",
                    "| GET …/entitlements/{metric} |");
        }
    }

    /** The requests/s of a row of the printed table. */
    private static Pattern rate(String measure) {
        return Pattern.compile("\\| " + Pattern.quote(measure) + " \\| ([0-9,]+) \\|");
    }

    /** The requests/s of a row of the printed table at {@code connections}. */
    private static Pattern rate(int connections, String measure) {
        return Pattern.compile("\\| " + connections + " \\| " + Pattern.quote(measure) + " \\| ([0-9,]+) \\|");
    }

    private static void assertUsageError(Run run, String message) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }
}
