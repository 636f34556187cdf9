package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The page and every API answer, errors included, tell a browser to frame them nowhere, sniff no
 * content type and send no referrer (R68); the page runs only its own script and style.
 */
class SecurityHeadersTest extends ApiTestSupport {

    @Test
    void R68_every_answer_forbids_framing_and_sniffing_and_sends_no_referrer_errors_of_jetty_included()
            throws Exception {
        plan("free", "{\"exports\": 0}");
        ApiClient acme = user("acme", "free");
        Map<String, Function<String, String>> answers = new LinkedHashMap<>();
        answers.put("the page", headers(admin.withKey(null).get("/")));
        answers.put("the document", headers(admin.withKey(null).get("/openapi.json")));
        answers.put("health", headers(admin.withKey(null).get("/v1/health")));
        answers.put("200", headers(acme.get("/v1/users/acme/usage")));
        answers.put("401", headers(acme.withKey("tly_unknown").get("/v1/users/acme/usage")));
        answers.put("403 denial", headers(acme.post("/v1/users/acme/usage",
                "{\"enforce\": true, \"records\": [{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"a\"}]}")));
        answers.put("404 of a route", headers(acme.get("/v1/nothing-here")));
        answers.put("405", headers(acme.send("DELETE", "/v1/health", null, Map.of())));
        answers.put("415", headers(acme.send("POST", "/v1/users/acme/usage", "x", Map.of("Content-Type", "text/plain"))));
        answers.put("400 of Jetty (a path it cannot decode)", raw("GET /v1/users/%zz/usage HTTP/1.1\r\nHost: x\r\n\r\n"));
        answers.put("431 of Jetty (headers too large)",
                raw("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"));
        answers.put("413 of the body reader", raw("POST /v1/users/acme/usage HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (ServerSettings.DEFAULT_MAX_REQUEST_BYTES + 1)
                + "\r\nExpect: 100-continue\r\n\r\n"));
        answers.put("505 of Jetty", raw("GET /v1/health HTTP/7.1\r\nHost: x\r\n\r\n"));

        SoftAssertions softly = new SoftAssertions();
        answers.forEach((what, header) -> {
            softly.assertThat(header.apply("Content-Security-Policy")).as(what + ": policy")
                    .contains("frame-ancestors 'none'").contains("default-src 'none'").doesNotContain("unsafe-inline");
            softly.assertThat(header.apply("X-Frame-Options")).as(what + ": frame options").isEqualTo("DENY");
            softly.assertThat(header.apply("X-Content-Type-Options")).as(what + ": sniffing").isEqualTo("nosniff");
            softly.assertThat(header.apply("Referrer-Policy")).as(what + ": referrer").isEqualTo("no-referrer");
        });
        softly.assertAll();
    }

    @Test
    void R68_the_page_runs_exactly_its_own_inline_script_and_style_named_by_hash() throws Exception {
        ApiClient.Response page = admin.withKey(null).get("/");
        String policy = page.header("Content-Security-Policy");

        assertThat(directive(policy, "script-src")).isEqualTo("'sha256-" + hashOf(page.text(), "script") + "'");
        assertThat(directive(policy, "style-src")).isEqualTo("'sha256-" + hashOf(page.text(), "style") + "'");
        assertThat(directive(policy, "connect-src")).isEqualTo("'self'");
        assertThat(directive(policy, "frame-ancestors")).isEqualTo("'none'");
        assertThat(page.text()).as("no inline handler attribute, which no hash allows")
                .doesNotContainPattern("<[^>]+\\son[a-z]+=");
    }

    private static Function<String, String> headers(ApiClient.Response response) {
        return response::header;
    }

    private Function<String, String> raw(String request) throws IOException {
        try (Socket socket = RawHttp.connect(server.port(), RawHttp.loopback(0, 1))) {
            RawHttp.send(socket, request);
            RawHttp.Answer answer = RawHttp.read(socket);
            return answer::header;
        }
    }

    private static String directive(String policy, String name) {
        for (String directive : policy.split(";")) {
            String trimmed = directive.strip();
            if (trimmed.startsWith(name + " ")) {
                return trimmed.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + policy);
    }

    /** The base64 SHA-256 of the one inline element of this kind, as a browser computes it. */
    private static String hashOf(String page, String element) throws Exception {
        Matcher inline = Pattern.compile("<" + element + ">(.*?)</" + element + ">", Pattern.DOTALL).matcher(page);
        assertThat(inline.find()).as("an inline " + element).isTrue();
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(inline.group(1).getBytes(StandardCharsets.UTF_8)));
        assertThat(inline.find()).as("one inline " + element).isFalse();
        return hash;
    }
}
