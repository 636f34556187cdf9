package dev.tally.bootstrap;

import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.VoidRecord;
import dev.tally.application.user.PutUser;
import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.RecordId;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import static dev.tally.adapter.http.ApiTestSupport.assertLimitExceeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.adapter.http.ApiClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke tests of the command line and the composition root, in process. */
public class CommandLineTest {

    private static final Pattern EXPORT = Pattern.compile("export (\\w+)=(\\S+)");

    /** What one command printed, and its exit code. */
    public record Run(int exitCode, String out, String err) {
        String variable(String name) {
            Matcher matcher = EXPORT.matcher(out);
            while (matcher.find()) {
                if (matcher.group(1).equals(name)) {
                    return matcher.group(2);
                }
            }
            throw new AssertionError("no " + name + " in:\n" + out);
        }
    }

    public static Run tally(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void help_lists_every_command() {
        Run help = tally("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("serve", "migrate", "reconcile", "demo", "bench");
        assertThat(tally("serve", "--help").out()).contains("--port", "--db-url", "--admin-key", "--demo",
                "TALLY_PORT", "TALLY_DB_URL", "TALLY_ADMIN_KEY");
    }

    @Test
    void R65_serve_takes_the_client_limits_and_refuses_impossible_ones() {
        assertThat(tally("serve", "--help").out()).contains("--header-timeout", "--body-timeout", "--max-connections",
                "--max-connections-per-address", "--body-budget");
        for (String flag : new String[] {"--header-timeout", "--body-timeout", "--max-connections", "--body-budget"}) {
            Run zero = tally("serve", "--db-url", OpenStorage.MEMORY, "--port", "0", flag, "0");
            assertThat(zero.exitCode()).as(flag + " 0").isEqualTo(2);
            assertThat(zero.err()).as(flag + " 0").contains("must be positive");
        }
        assertThat(tally("serve", "--db-url", OpenStorage.MEMORY, "--port", "0", "--max-connections-per-address",
                "-1").exitCode()).isEqualTo(2);
    }

    @Test
    void R67_serve_takes_the_bound_of_metrics_per_user_and_refuses_impossible_ones() {
        assertThat(tally("serve", "--help").out()).contains("--max-metrics-per-user", "default: 1000");
        for (String bad : new String[] {"-1", "100001"}) {
            Run refused = tally("serve", "--db-url", OpenStorage.MEMORY, "--port", "0", "--max-metrics-per-user", bad);
            assertThat(refused.exitCode()).as(bad).isEqualTo(2);
            assertThat(refused.err()).as(bad).contains("--max-metrics-per-user must be 0-100000");
        }
    }

    @Test
    void R67_R68_serve_takes_the_rates_and_the_metrics_token_and_refuses_impossible_ones(@TempDir Path dir)
            throws Exception {
        assertThat(tally("serve", "--help").out()).contains("--key-rate", "--key-record-rate", "--admin-key-rate",
                "--admin-key-record-rate", "--address-rate", "--metrics-token", "TALLY_METRICS_TOKEN");
        for (String[] impossible : new String[][] {{"--key-rate", "-1"}, {"--key-record-rate", "999"},
                {"--address-rate", "-5"}, {"--metrics-token", "short"}}) {
            Run refused = tally("serve", "--db-url", OpenStorage.MEMORY, "--port", "0", impossible[0], impossible[1]);
            assertThat(refused.exitCode()).as(String.join(" ", impossible)).isEqualTo(2);
            assertThat(refused.err()).as(String.join(" ", impossible)).contains(impossible[0].equals("--metrics-token")
                    ? "--metrics-token" : "per second");
        }

        String adminKey = "operator-key-rates-0123456789";
        String token = "scraper-token-0123456789";
        serving("jdbc:h2:file:" + dir.resolve("tally").toAbsolutePath(), adminKey, port -> {
            ApiClient admin = new ApiClient(port, adminKey);
            assertThat(admin.get("/v1/plans").status()).isEqualTo(200);
            assertThat(admin.get("/v1/plans").status()).isEqualTo(200);
            ApiClient.Response limited = admin.get("/v1/plans");
            assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isEqualTo("1");
            assertThat(new ApiClient(port, token).get("/metrics").status()).isEqualTo(200);
            assertThat(new ApiClient(port, null).get("/metrics").status()).isEqualTo(401);
        }, "--admin-key-rate", "2", "--metrics-token", token);
    }

    @Test
    void R95_serve_consumes_from_kafka_only_with_its_flags_and_refuses_an_incomplete_set() throws Exception {
        assertThat(tally("serve", "--help").out()).contains("--kafka-bootstrap", "--kafka-topic", "--kafka-group",
                "--kafka-dead-letter-topic", "--kafka-property");
        String[][] incomplete = {
                {"--kafka-topic", "usage"},
                {"--kafka-property", "security.protocol=SSL"},
                {"--kafka-bootstrap", "127.0.0.1:9092"},
                {"--kafka-bootstrap", "127.0.0.1:9092", "--kafka-topic", "usage", "--kafka-dead-letter-topic", "usage"}};
        String[] errors = {"need --kafka-bootstrap", "need --kafka-bootstrap", "--kafka-bootstrap needs --kafka-topic",
                "must not be the topic it is fed from"};
        for (int i = 0; i < incomplete.length; i++) {
            List<String> args = new ArrayList<>(List.of("serve", "--db-url", OpenStorage.MEMORY, "--port", "0"));
            args.addAll(List.of(incomplete[i]));
            Run refused = tally(args.toArray(String[]::new));
            assertThat(refused.exitCode()).as(String.join(" ", incomplete[i])).isEqualTo(2);
            assertThat(refused.err()).as(String.join(" ", incomplete[i])).contains(errors[i]);
        }
        // Without the flags no consumer runs, and health says nothing of one.
        serving(OpenStorage.MEMORY, "kafka-less-admin-key-0123456789", port ->
                assertThat(new ApiClient(port, null).get("/v1/health").json().has("kafka")).isFalse());
    }

    @Test
    void an_unknown_command_or_flag_is_a_usage_error_not_a_crash() {
        assertThat(tally("frobnicate").exitCode()).isEqualTo(2);
        assertThat(tally("serve", "--port", "eighty").exitCode()).isEqualTo(2);
        assertThat(tally("serve", "--port", "70000").exitCode()).isEqualTo(2);
        Run shortKey = tally("demo", "--db-url", OpenStorage.MEMORY, "--admin-key", "short");
        assertThat(shortKey.exitCode()).isEqualTo(2);
        assertThat(shortKey.err()).contains("at least 16 characters");
    }

    @Test
    void demo_prints_keys_and_curl_commands_once_and_generates_an_admin_key() {
        Run demo = tally("demo", "--db-url", OpenStorage.MEMORY);

        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("Demo data loaded", "Generated an admin key", "curl -s",
                "/v1/users/acme/billing", "/v1/users/globex/report-runs");
        assertThat(demo.variable("TALLY_ADMIN_KEY")).startsWith("tly_");
        assertThat(demo.variable("ACME_KEY")).startsWith("tly_");
    }

    @Test
    void a_configured_admin_key_is_installed_and_none_is_generated() {
        Run demo = tally("demo", "--db-url", OpenStorage.MEMORY, "--admin-key", "operator-chosen-key-123");

        assertThat(demo.exitCode()).isZero();
        assertThat(demo.out()).doesNotContain("Generated an admin key");
    }

    @Test
    void migrate_and_reconcile_run_and_report() {
        assertThat(tally("migrate", "--db-url", OpenStorage.MEMORY).exitCode()).isZero();
        Run reconcile = tally("reconcile", "--db-url", OpenStorage.MEMORY);
        assertThat(reconcile.exitCode()).isZero();
        assertThat(reconcile.out()).contains("Checked 0 usage rollups: 0 drifted.",
                "Checked 0 credit balances and 0 credit grants: 0 drifted.");
    }

    @Test
    void R84_reconcile_reports_a_meter_defined_after_its_records_and_reconcile_meter_backfills_it(@TempDir Path dir) {
        String db = "jdbc:h2:file:" + dir.resolve("tally").toAbsolutePath();
        MetricKey users = new MetricKey("active_users");
        try (TallyApp app = TallyApp.open(db, Clock.systemUTC())) {
            app.tally().plans().put(Plan.of(new PlanId("p"), "P", new PlanLimits(Map.of())));
            app.tally().users().put(PutUser.of(new UserId("acme"), new PlanId("p")));
            for (String endUser : new String[] {"ann", "bob", "ann"}) {
                app.tally().usage().record(new RecordUsage(new UserId("acme"), List.of(new UsageItem(
                        new MetricKey("requests"), BigDecimal.ONE, Optional.empty(),
                        new IdempotencyKey("r-" + UUID.randomUUID()), Map.of("end_user", endUser))), false))
                        .orElseThrow();
            }
            app.tally().meters().put(Meter.define(users, new MetricKey("requests"), Aggregation.UNIQUE_COUNT,
                    Optional.of("end_user"), Map.of(), List.of(), Optional.empty()));
        }
        Run found = tally("reconcile", "--db-url", db);
        assertThat(found.exitCode()).isEqualTo(ReconcileCommand.DRIFT_FOUND);
        assertThat(found.out()).contains("meter rollups: 1 drifted", "acme active_users");

        Run backfill = tally("reconcile", "--db-url", db, "--meter", "active_users");
        assertThat(backfill.exitCode()).isZero();
        assertThat(backfill.out()).contains("rollups of meter active_users: 1 drifted, all repaired.");
        try (TallyApp app = TallyApp.open(db, Clock.systemUTC())) {
            assertThat(app.tally().meters().value(new UserId("acme"), users, false, Optional.empty()).value())
                    .isEqualByComparingTo("2");
        }
        Run clean = tally("reconcile", "--db-url", db);
        assertThat(clean.exitCode()).isZero();
        assertThat(clean.out()).contains("meter rollups: 0 drifted.");
        assertThat(tally("reconcile", "--db-url", db, "--meter", "nothing_here").exitCode()).isNotZero();
    }

    @Test
    void R92_R84_reconcile_finds_no_drift_after_records_and_voids_on_every_aggregation_of_meter(@TempDir Path dir) {
        String db = "jdbc:h2:file:" + dir.resolve("tally").toAbsolutePath();
        MetricKey requests = new MetricKey("requests");
        UserId acme = new UserId("acme");
        try (TallyApp app = TallyApp.open(db, Clock.systemUTC())) {
            app.tally().plans().put(Plan.of(new PlanId("p"), "P", new PlanLimits(Map.of())));
            app.tally().users().put(PutUser.of(acme, new PlanId("p")));
            for (Aggregation aggregation : Aggregation.values()) {
                app.tally().meters().put(Meter.define(new MetricKey("requests_" + aggregation.wire()), requests,
                        aggregation, aggregation == Aggregation.UNIQUE_COUNT ? Optional.of("end_user") : Optional.empty(),
                        Map.of(), List.of("model"), Optional.empty()));
            }
            for (int i = 0; i < 12; i++) {
                app.tally().usage().record(new RecordUsage(acme, List.of(new UsageItem(requests,
                        BigDecimal.valueOf(i % 5 + 1), Optional.empty(), new IdempotencyKey("r-" + i),
                        Map.of("end_user", "e" + i % 4, "model", "m" + i % 3))), false)).orElseThrow();
            }
            for (int i : new int[] {4, 9, 11, 0, 3}) {
                app.tally().corrections().voidRecord(new VoidRecord(acme, RecordId.of(new IdempotencyKey("r-" + i)),
                        "mistake"));
            }
            assertThat(app.tally().meters().value(acme, new MetricKey("requests_max"), false, Optional.empty())
                    .value()).as("the 5s (r-4, r-9) and r-3 voided: r-8 is the largest left").isEqualByComparingTo("4");
        }
        Run clean = tally("reconcile", "--db-url", db);
        assertThat(clean.exitCode()).as(clean.out()).isZero();
        assertThat(clean.out()).contains("usage rollups: 0 drifted.", "meter rollups: 0 drifted.");
    }

    @Test
    void R26_R50_the_demo_served_answers_health_and_shows_the_demo_limits() {
        try (TallyApp app = TallyApp.open(OpenStorage.MEMORY, Clock.systemUTC())) {
            Optional<String> admin = app.ensureAdminKey(Optional.empty());
            assertThat(admin).isPresent();
            assertThat(app.ensureAdminKey(Optional.empty())).as("generated only once").isEmpty();
            DemoCommand.Keys keys = DemoCommand.load(app);
            int port = app.serve(0);

            assertThat(new ApiClient(port, null).get("/v1/health").json().get("status").asText())
                    .isEqualTo("healthy");
            ApiClient globex = new ApiClient(port, keys.globex());
            ApiClient.Response refused = globex.post("/v1/users/globex/report-runs", "{}");
            assertLimitExceeded(refused, "runs");
            var credits = globex.get("/v1/users/globex/credits/usage-by-operation").json().get("total");
            assertThat(credits.get("net").asLong()).isEqualTo(2);
            var billing = new ApiClient(port, keys.acme()).get("/v1/users/acme/billing").json();
            assertThat(billing.get("costs").get("providers").size()).isGreaterThanOrEqualTo(4);
            assertThat(billing.get("runs").get("total_runs").asLong()).isPositive();
            assertThat(billing.get("credits").get("operations").size()).isEqualTo(3);
        }
    }

    @Test
    void demo_then_serve_on_one_h2_file_database_answers_health_and_the_demo_keys(@TempDir Path dir)
            throws Exception {
        String db = "jdbc:h2:file:" + dir.resolve("tally").toAbsolutePath();
        Run demo = tally("demo", "--db-url", db);
        assertThat(demo.exitCode()).as(demo.err()).isZero();

        StringWriter out = new StringWriter();
        Thread serving = new Thread(() -> Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter()),
                "serve", "--port", "0", "--db-url", db));
        serving.start();
        try {
            int port = awaitPort(out);
            ApiClient acme = new ApiClient(port, demo.variable("ACME_KEY"));
            assertThat(new ApiClient(port, null).get("/v1/health").status()).isEqualTo(200);
            assertThat(acme.get("/v1/users/acme/billing").json().get("plan").get("id").asText()).isEqualTo("pro");
            assertThat(out.toString()).as("the admin key was generated by demo, not again by serve")
                    .doesNotContain("Generated an admin key")
                    .as("a restart says which admin key is in force").contains("The admin key is the one printed");
        } finally {
            serving.interrupt();
            serving.join();
        }
    }

    @Test
    void R63_serving_with_a_new_admin_key_revokes_the_one_it_replaces(@TempDir Path dir) throws Exception {
        String db = "jdbc:h2:file:" + dir.resolve("tally").toAbsolutePath();
        String keyA = "operator-key-A-0123456789";
        String keyB = "operator-key-B-0123456789";

        serving(db, keyA, port -> assertThat(new ApiClient(port, keyA).get("/v1/plans").status()).isEqualTo(200));
        serving(db, keyB, port -> {
            ApiClient.Response old = new ApiClient(port, keyA).get("/v1/plans");
            assertThat(old.status()).as(old.toString()).isEqualTo(401);
            assertThat(old.error()).isEqualTo("unauthorized");
            assertThat(new ApiClient(port, keyB).get("/v1/plans").status()).isEqualTo(200);
        });

        Run backToA = tally("serve", "--port", "0", "--db-url", db, "--admin-key", keyA);
        assertThat(backToA.exitCode()).as("a revoked key stays revoked").isEqualTo(2);
        assertThat(backToA.err()).contains("TALLY_ADMIN_KEY").contains("revoked");
        serving(db, null, port -> {
            assertThat(new ApiClient(port, keyB).get("/v1/plans").status()).as("unset keeps B").isEqualTo(200);
            assertThat(new ApiClient(port, keyA).get("/v1/plans").status()).isEqualTo(401);
        });
    }

    /**
     * Runs {@code serve} on {@code db} with {@code adminKey} (none when null) and {@code flags} until
     * {@code check} is done.
     */
    private static void serving(String db, String adminKey, IntConsumer check, String... flags) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--db-url", db));
        if (adminKey != null) {
            args.addAll(List.of("--admin-key", adminKey));
        }
        args.addAll(List.of(flags));
        Thread serving = new Thread(() -> Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
                args.toArray(String[]::new)));
        serving.start();
        try {
            check.accept(awaitPort(out));
            assertThat(out.toString()).doesNotContain("Generated an admin key");
        } finally {
            serving.interrupt();
            serving.join();
        }
    }

    private static int awaitPort(StringWriter out) throws InterruptedException {
        Pattern listening = Pattern.compile("listening on http://localhost:(\\d+)/");
        for (int attempt = 0; attempt < 6000; attempt++) {
            Matcher matcher = listening.matcher(out.toString());
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("serve did not start:\n" + out);
    }

    @Test
    void bench_measures_both_phases_within_its_bounds() {
        Run bench = tally("bench", "--seconds", "1", "--requests", "50", "--threads", "2");

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("batches of 100 records", "enforced single record", "requests/s")
                .contains(", 0 errors");
    }
}
