package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shop over HTTP, on a real server on a free port: work done until Tally refuses it, a refusal
 * answered 403 with Tally's body, an order's row and metering committed or rolled back together,
 * Tally in {@code /actuator/health} and its decisions in {@code /actuator/prometheus}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ShopTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String customer = "customer-" + UUID.randomUUID();

    @Value("${local.server.port}")
    int port;

    @Test
    void exports_are_done_until_the_plan_is_used_up_then_refused_with_tallys_body() throws Exception {
        assertThat(send("PUT", "/customers/" + customer).statusCode()).isEqualTo(200);
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> done = send("POST", "/customers/" + customer + "/exports/export-" + i);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(done.body()).contains("\"status\":\"done\"");
        }
        HttpResponse<String> refused = send("POST", "/customers/" + customer + "/exports/export-4");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"error\":\"exports_limit_exceeded\"").contains("\"message\":");

        String metrics = send("GET", "/actuator/prometheus").body();
        assertThat(metrics).containsPattern("tally_use_case_denials_total\\{[^}]*refusal=\"other_limit_exceeded\"");
        assertThat(metrics).containsPattern("tally_use_case_seconds_count\\{[^}]*outcome=\"granted\"");
    }

    @Test
    void an_order_that_cannot_be_stored_is_not_counted() throws Exception {
        String other = "customer-" + UUID.randomUUID();
        String taken = "order-" + UUID.randomUUID();
        send("PUT", "/customers/" + customer);
        send("PUT", "/customers/" + other);
        assertThat(send("POST", "/customers/" + other + "/orders/" + taken).statusCode()).isEqualTo(200);

        // The order's row fails after Tally counted it: both roll back together.
        HttpResponse<String> clash = send("POST", "/customers/" + customer + "/orders/" + taken);
        assertThat(clash.statusCode()).isEqualTo(409);

        // So both orders of the plan are still there to place, and only the third is refused.
        assertThat(send("POST", "/customers/" + customer + "/orders/order-" + UUID.randomUUID()).statusCode())
                .isEqualTo(200);
        assertThat(send("POST", "/customers/" + customer + "/orders/order-" + UUID.randomUUID()).statusCode())
                .isEqualTo(200);
        HttpResponse<String> refused = send("POST", "/customers/" + customer + "/orders/order-" + UUID.randomUUID());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"error\":\"orders_limit_exceeded\"");
    }

    @Test
    void the_health_endpoint_shows_tally_up() throws Exception {
        HttpResponse<String> health = send("GET", "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).containsPattern("\"tally\":\\{\"details\":\\{[^}]*},\"status\":\"UP\"}")
                .contains("\"storage\":\"reachable\"").contains("\"migrations\":\"current\"");
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
