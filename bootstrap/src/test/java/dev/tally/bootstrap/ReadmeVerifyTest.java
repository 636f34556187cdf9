package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.adapter.http.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's quickstart as a reader pastes it: every step of every {@code bash} block of "Run it"
 * (the commands between two blank lines) runs as it is, each in a bash of its own with
 * {@code set -euo pipefail}, against the demo (only the port differs, and the receiver block, which
 * starts a second server of its own, is left out), with the keys the demo prints exported. No block may fail, each must answer what the README says, and no
 * step may break a later one: acme's key still reads its page at the end.
 */
class ReadmeVerifyTest {

    private static TallyApp app;
    private static int port;
    private static String adminKey;
    private static DemoCommand.Keys keys;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(available("curl") && available("jq"), "curl and jq are installed");
        app = TallyApp.open(OpenStorage.MEMORY, Clock.systemUTC());
        adminKey = app.ensureAdminKey(Optional.empty()).orElseThrow();
        keys = DemoCommand.load(app);
        port = app.serve(0);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static boolean available(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("bash", "-c", "command -v " + command).start().waitFor() == 0;
    }

    /** The {@code bash} blocks of the README's "Run it" section, in order. */
    static List<String> quickstart() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int from = readme.indexOf("## Run it");
        String section = readme.substring(from, readme.indexOf("\n## ", from + 1));
        List<String> blocks = new ArrayList<>();
        for (int at = section.indexOf("```bash\n"); at >= 0; at = section.indexOf("```bash\n", at + 1)) {
            int start = at + "```bash\n".length();
            blocks.add(section.substring(start, section.indexOf("```", start)));
        }
        return blocks;
    }

    private static String run(String block) throws IOException, InterruptedException {
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", "set -euo pipefail\n"
                + block.replace("localhost:8080", "localhost:" + port)).redirectErrorStream(true);
        bash.environment().put("TALLY_ADMIN_KEY", adminKey);
        bash.environment().put("ACME_KEY", keys.acme());
        bash.environment().put("GLOBEX_KEY", keys.globex());
        Process process = bash.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("the block\n" + block + "\nfailed:\n" + out).isZero();
        return out;
    }

    @Test
    void the_quickstart_runs_as_pasted_block_by_block_against_the_demo() throws Exception {
        List<String> blocks = quickstart();
        assertThat(blocks).as("the quickstart's blocks").isNotEmpty();
        StringBuilder answers = new StringBuilder();
        int steps = 0;
        for (String block : blocks) {
            if (block.contains("http.server")) {
                continue;
            }
            for (String step : block.split("\n\n")) {
                answers.append(run(step));
                steps++;
            }
        }
        assertThat(steps).as("steps run").isGreaterThanOrEqualTo(8);

        assertThat(answers.toString())
                .contains("\"error\":\"runs_limit_exceeded\"")
                .contains("\"error\":\"active_end_users_limit_exceeded\"")
                .contains("\"metric\":\"active_end_users\",\"plan\":\"free\",\"current_usage\":3,\"limit\":3")
                .containsPattern("(?i)RateLimit-Remaining: 0")
                .contains("\"error\":\"rate_limited\",")
                .containsPattern("(?i)Retry-After: 6")
                .contains("\"operation\":\"export\",\"gross\":7,\"refunded\":5,\"net\":2")
                .containsPattern("\"drawn_from\":\\[\\{\"grant_id\":\"txn_[0-9a-f]{32}\",\"credits\":3\\}\\]")
                .contains("\"remaining\":100,\"priority\":10,\"expires_at\":\"2030-01-01T00:00:00Z\"")
                .containsPattern("\"amount\":100,\"remaining\":[0-9]+,\"priority\":0,")
                .contains("\"error\":\"insufficient_credits\"")
                .contains("\"metric\":\"summaries\",\"plan\":\"priced\",\"current_usage\":1,\"limit\":100,")
                .contains("\"balance\":3,\"required\":5}")
                .contains("\"state\":\"committed\",")
                .containsPattern("\"committed_quantity\":27[,}]")
                .containsPattern("\"revoked_at\":\"[0-9]")
                .contains("\"has_more\":")
                .containsPattern("\"limit\":5000,[^}]*\"source\":\"override\"")
                .contains("{\"feature\":\"sso\",\"kind\":\"boolean\",\"enabled\":true,\"source\":\"override\"}")
                .contains("{\"feature\":\"retention_days\",\"kind\":\"config\",\"value\":30,\"source\":\"plan\"}")
                .doesNotContain("_not_found\"")
                .doesNotContain("\"error\":\"unauthorized\"");
        assertThat(new ApiClient(port, keys.acme()).get("/v1/users/acme/billing").status())
                .as("acme's key still opens its page after the quickstart").isEqualTo(200);
    }
}
