package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What Jetty answers on its own, before a request reaches a route, is JSON with a code that
 * says what the client got wrong (R12: only a fault of the server is {@code internal_error}).
 */
class ConnectionLevelErrorTest extends ApiTestSupport {

    @Test
    void R12_a_request_line_without_a_version_http_0_9_or_with_an_unknown_one_is_a_json_505() throws Exception {
        for (String requestLine : List.of("GET /\r\n", "GET /v1/health HTTP/7.1\r\nHost: localhost\r\n\r\n")) {
            try (Socket socket = RawHttp.connect(server.port(), RawHttp.loopback(0, 1))) {
                RawHttp.send(socket, requestLine);

                RawHttp.Answer answer = RawHttp.read(socket);

                assertThat(answer.status()).as(requestLine + answer).isEqualTo(505);
                assertJsonError(answer, "http_version_not_supported");
            }
        }
    }

    @Test
    void R12_a_body_that_ends_before_its_content_length_is_a_json_400_incomplete_body() throws Exception {
        plan("free", "{}");
        user("acme", "free");
        try (Socket socket = RawHttp.connect(server.port(), RawHttp.loopback(0, 1))) {
            RawHttp.send(socket, usage(100) + "{\"records\": [");
            socket.shutdownOutput();
            long start = System.nanoTime();

            RawHttp.Answer answer = RawHttp.read(socket);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertJsonError(answer, "incomplete_body");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered at once, not at a timeout")
                    .isLessThan(Duration.ofSeconds(5));
        }
        assertThat(admin.get("/v1/users/acme/usage").json().get("metrics")).as("nothing recorded").isEmpty();
    }

    @Test
    void R12_a_declared_body_larger_than_the_server_accepts_is_a_json_413_before_a_client_expecting_100_continue_sends_it()
            throws Exception {
        plan("free", "{}");
        user("acme", "free");
        try (Socket socket = RawHttp.connect(server.port(), RawHttp.loopback(0, 1))) {
            RawHttp.send(socket, usage(ServerSettings.DEFAULT_MAX_REQUEST_BYTES + 1).replace("\r\n\r\n",
                    "\r\nExpect: 100-continue\r\n\r\n"));

            RawHttp.Answer answer = RawHttp.read(socket);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
            assertJsonError(answer, "request_too_large");
        }
    }

    @Test
    void R12_a_body_larger_than_the_server_accepts_is_a_json_413_that_reaches_the_client_still_sending_it()
            throws Exception {
        plan("free", "{}");
        user("acme", "free");
        int length = (int) ServerSettings.DEFAULT_MAX_REQUEST_BYTES * 3;
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Socket socket = RawHttp.connect(server.port(), RawHttp.loopback(0, 1))) {
                RawHttp.send(socket, usage(length) + "{\"records\": [], \"pad\": \"" + "x".repeat(length - 26) + "\"}");

                RawHttp.Answer answer = RawHttp.read(socket);

                assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
                assertJsonError(answer, "request_too_large");
            }
        }
    }

    private String usage(long contentLength) {
        return "POST /v1/users/acme/usage HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + adminKey
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    private static void assertJsonError(RawHttp.Answer answer, String code) throws IOException {
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/json");
        JsonNode body = answer.json();
        assertThat(body.path("error").asText()).as(answer.toString()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
    }
}
