package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's shell check of a webhook signature (R76), run as written with {@code openssl}
 * against signatures made as deliveries are signed: a good one is valid, a changed body, another
 * secret and an old timestamp are not.
 */
class ReadmeVerifyTest {

    private static final String SECRET = "whsec_0123456789abcdef";
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"usage.threshold_reached\",\"data\":{\"used\":8}}";

    private static String shellCheck() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int intro = readme.indexOf("In a shell, with the header in `$SIG`");
        int start = readme.indexOf("```sh\n", intro) + "```sh\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    private static String run(Path dir, String script, String signature, String secret, String body)
            throws Exception {
        Files.writeString(dir.resolve("body.json"), body, StandardCharsets.UTF_8);
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        bash.environment().put("SIG", signature);
        bash.environment().put("SECRET", secret);
        Process process = bash.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor();
        return out;
    }

    @Test
    void R76_the_readme_shell_check_accepts_a_delivery_signature_and_refuses_tampering_and_replays(@TempDir Path dir)
            throws Exception {
        assumeTrue(new ProcessBuilder("openssl", "version").start().waitFor() == 0, "openssl is installed");
        String script = shellCheck();
        String fresh = WebhookSignature.header(SECRET, Instant.now(), BODY);
        String old = WebhookSignature.header(SECRET, Instant.now().minusSeconds(600), BODY);

        assertThat(run(dir, script, fresh, SECRET, BODY)).isEqualTo("valid");
        assertThat(run(dir, script, fresh, SECRET, BODY.replace("8", "9"))).isEqualTo("INVALID");
        assertThat(run(dir, script, fresh, "whsec_other", BODY)).isEqualTo("INVALID");
        assertThat(run(dir, script, old, SECRET, BODY)).isEqualTo("INVALID");
    }
}
