package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every answer carries a {@code Request-Id} (R93): the client's when it is a short safe token,
 * else one the server makes, so one request can be followed from a complaint to the audit log.
 */
class RequestIdTest extends ApiTestSupport {

    @Test
    void R93_every_answer_carries_a_request_id_errors_of_jetty_included() throws Exception {
        Set<String> ids = new HashSet<>();
        ids.add(admin.get("/v1/plans").header("Request-Id"));
        ids.add(admin.withKey("tly_unknown").get("/v1/plans").header("Request-Id"));
        ids.add(admin.get("/v1/nothing-here").header("Request-Id"));
        ids.add(admin.withKey(null).get("/v1/health").header("Request-Id"));
        try (Socket socket = RawHttp.connect(server.port(), RawHttp.loopback(0, 1))) {
            RawHttp.send(socket, "GET /v1/users/%zz/usage HTTP/1.1\r\nHost: x\r\n\r\n");
            ids.add(RawHttp.read(socket).header("Request-Id"));
        }

        assertThat(ids).hasSize(5).allSatisfy(id -> assertThat(id).matches("req_[0-9a-f]{32}"));
    }

    @Test
    void R93_a_clients_safe_request_id_is_answered_back_and_an_unsafe_one_replaced() {
        ApiClient.Response kept = admin.send("GET", "/v1/plans", null, Map.of("Request-Id", "support-ticket_42.a"));
        ApiClient.Response tooLong = admin.send("GET", "/v1/plans", null, Map.of("Request-Id", "a".repeat(129)));
        ApiClient.Response unsafe = admin.send("GET", "/v1/plans", null, Map.of("Request-Id", "a b<script>"));

        assertThat(kept.header("Request-Id")).isEqualTo("support-ticket_42.a");
        assertThat(tooLong.header("Request-Id")).matches("req_[0-9a-f]{32}");
        assertThat(unsafe.header("Request-Id")).matches("req_[0-9a-f]{32}");
    }
}
