package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.adapter.http.ApiClient;
import dev.tally.adapter.http.WebhookReceiver;
import dev.tally.application.webhook.WebhookDispatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R76 through a crash: the node posting a delivery is killed with SIGKILL while the receiver is
 * still answering, and the delivery is neither lost nor left to that node: once its lease runs
 * out, the node started in its place posts the event again (at least once; receivers dedupe by
 * {@code Tally-Event-Id}), and the delivery log shows the attempt that got through.
 */
class WebhookKillNineTest {

    private static final String ADMIN_KEY = "webhook-admin-key-0123456789";

    @Test
    void R76_kill_9_of_the_sending_node_mid_delivery_still_delivers_on_postgresql() throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema()) {
            killMidDeliveryThenDeliver(schema.url());
        }
    }

    @Test
    void R76_kill_9_of_the_sending_node_mid_delivery_still_delivers_on_an_h2_file(@TempDir Path directory)
            throws Exception {
        killMidDeliveryThenDeliver("jdbc:h2:file:" + directory.resolve("tally").toAbsolutePath());
    }

    private static void killMidDeliveryThenDeliver(String url) throws Exception {
        // The first delivery hangs at the receiver far longer than the test: the sender is killed meanwhile.
        try (WebhookReceiver receiver = new WebhookReceiver()
                .then(new WebhookReceiver.Slow(Duration.ofMinutes(5), 200))) {
            String eventId;
            try (ServerProcess first = ServerProcess.start(url, ADMIN_KEY, "--allow-private-webhooks")) {
                ApiClient admin = new ApiClient(first.port, ADMIN_KEY);
                ok(admin.put("/v1/plans/pro", "{\"limits\": {\"exports\": 10}}"));
                ok(admin.put("/v1/users/acme", "{\"plan_id\": \"pro\"}"));
                ok(admin.put("/v1/webhook-endpoints/ops", "{\"url\": \"" + receiver.url() + "\", \"events\": [\"*\"]}"));
                ok(admin.post("/v1/users/acme/usage", "{\"records\": [{\"metric\": \"exports\", \"quantity\": 9, "
                        + "\"idempotency_key\": \"cross\"}]}"));
                List<WebhookReceiver.Received> inFlight = receiver.await(1, Duration.ofSeconds(30), () -> { });
                assertThat(inFlight).as("the first attempt reached the receiver").hasSize(1);
                eventId = inFlight.get(0).eventId();
                first.kill();
            }

            try (ServerProcess second = ServerProcess.start(url, ADMIN_KEY, "--allow-private-webhooks")) {
                Duration wait = WebhookDispatcher.LEASE.plusSeconds(30);
                List<WebhookReceiver.Received> got = receiver.await(2, wait, () -> { });

                assertThat(got).as("posted again by the node started after the kill").hasSizeGreaterThanOrEqualTo(2)
                        .extracting(WebhookReceiver.Received::eventId).containsOnly(eventId);
                ApiClient admin = new ApiClient(second.port, ADMIN_KEY);
                JsonNode log = awaitLogged(admin);
                assertThat(log.get(0).get("event_id").asText()).isEqualTo(eventId);
                assertThat(log.get(0).get("status_code").asInt()).isEqualTo(200);
                second.stop();
            }
        }
    }

    private static JsonNode awaitLogged(ApiClient admin) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode log = ok(admin.get("/v1/webhook-endpoints/ops/deliveries")).json().get("deliveries");
            if (log.size() > 0) {
                return log;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no attempt logged");
    }

    private static ApiClient.Response ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 299);
        return response;
    }
}
