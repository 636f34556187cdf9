package dev.tally.bootstrap.bench;

import static dev.tally.bootstrap.CommandLineTest.tally;
import static org.assertj.core.api.Assertions.assertThat;

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

/** {@code tally bench --url}: its arguments, and one short run of the Java client against a real server. */
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
        assertThat(tally("bench", "--help").out()).contains("--url", "--admin-key", "--pgbench-url", "--client",
                "--warmup-seconds", "--connections");
    }

    @Test
    void java_client_measures_every_phase_of_a_running_server() {
        try (TallyApp app = TallyApp.open(OpenStorage.MEMORY, Clock.systemUTC())) {
            app.ensureAdminKey(Optional.of(ADMIN_KEY));
            int port = app.serve(UNBOUNDED);

            Run bench = tally("bench", "--url", "http://127.0.0.1:" + port, "--admin-key", ADMIN_KEY,
                    "--client", "java", "--seconds", "1", "--warmup-seconds", "0", "--connections", "2",
                    "--users", "2", "--requests", "200");

            assertThat(bench.exitCode()).as(bench.out() + bench.err()).isZero();
            assertThat(bench.out()).contains("with the Java client: 2 connections over 2 users",
                    "| measure | per second | p50 ms | p99 ms | errors |",
                    "| POST …/usage, enforced single record |", "| POST …/usage, batches of 100 records |",
                    "| GET …/usage |", "| GET …/entitlements/{metric} |").doesNotContain("pgbench");
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
                    "--client", "wrk", "--seconds", "2", "--warmup-seconds", "0", "--connections", "2",
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

    private static void assertUsageError(Run run, String message) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }
}
