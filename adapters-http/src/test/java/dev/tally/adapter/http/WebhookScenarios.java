package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.application.Tally;
import dev.tally.application.port.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed webhooks over HTTP (R76, R77) against a real receiver on loopback that the server's own
 * dispatcher posts to: it fails, answers slowly or drops the connection, and the event still
 * arrives, signed, with every attempt in the delivery log. Public so the JDBC end-to-end tests of
 * the bootstrap module run it on H2 and PostgreSQL too.
 */
public abstract class WebhookScenarios extends ApiTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private WebhookReceiver receiver;

    /**
     * The receiver is on loopback: as a server started with --allow-private-webhooks (R77). The
     * name {@code localhost} resolves to 127.0.0.2 for the server, and to 127.0.0.1 for everyone else.
     */
    @Override
    protected Tally.Settings settings() {
        return Tally.Settings.DEFAULTS.allowingPrivateWebhooks(true).resolvingWebhookHostsWith(new HostResolver() {
            @Override
            public List<InetAddress> resolve(String host) throws UnknownHostException {
                return host.equals("localhost") ? List.of(InetAddress.getByName("127.0.0.2"))
                        : HostResolver.SYSTEM.resolve(host);
            }

            @Override
            public List<InetAddress> ownAddresses() {
                return HostResolver.SYSTEM.ownAddresses();
            }
        });
    }

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private String endpoint(String id) {
        JsonNode created = assertOk(admin.put("/v1/webhook-endpoints/" + id, "{\"url\": \"" + receiver.url()
                + "\", \"events\": [\"usage.threshold_reached\"]}")).json();
        return created.get("secret").asText();
    }

    private void crossEightyPercent() {
        crossEightyPercent("acme");
    }

    /** One usage.threshold_reached event, of {@code user}. */
    private void crossEightyPercent(String user) {
        plan("pro", "{\"exports\": 10}");
        user(user, "pro");
        assertOk(admin.post("/v1/users/" + user + "/usage", "{\"records\": [{\"metric\": \"exports\", "
                + "\"quantity\": 8, \"idempotency_key\": \"" + key() + "\"}]}"));
    }

    private List<JsonNode> deliveries(String endpoint) {
        JsonNode log = assertOk(admin.get("/v1/webhook-endpoints/" + endpoint + "/deliveries")).json();
        List<JsonNode> attempts = new java.util.ArrayList<>();
        log.get("deliveries").forEach(attempts::add);
        return attempts;
    }

    /** Moves the server's clock a minute, so that a retry comes due. */
    private void aMinuteLater() {
        clock.advance(Duration.ofMinutes(1));
    }

    /**
     * Moves the server's clock by less than a lease, and only once every request the receiver got
     * is in the endpoint's log: time jumps, but never past an attempt under way, as real time would.
     */
    private Runnable laterWhenLogged(String endpoint) {
        return () -> {
            if (deliveries(endpoint).size() == receiver.received().size()) {
                clock.advance(Duration.ofSeconds(20));
            }
        };
    }

    @Test
    void R76_a_threshold_event_arrives_at_the_receiver_signed_and_its_attempt_is_logged() throws Exception {
        String secret = endpoint("ops");
        crossEightyPercent();

        List<WebhookReceiver.Received> got = receiver.await(1, WAIT, () -> { });

        assertThat(got).hasSize(1);
        WebhookReceiver.Received delivery = got.get(0);
        JsonNode event = assertOk(admin.get("/v1/events?user_id=acme")).json().get("events").get(0);
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(delivery.body());
        assertThat(body).isEqualTo(event);
        assertThat(body.get("type").asText()).isEqualTo("usage.threshold_reached");
        assertThat(body.get("data").get("threshold_percent").asInt()).isEqualTo(80);
        assertThat(delivery.eventId()).isEqualTo(event.get("id").asText());
        assertThat(delivery.contentType()).isEqualTo("application/json");
        assertThat(delivery.signature()).matches("t=" + START.getEpochSecond() + ",v1=[0-9a-f]{64}");
        assertThat(WebhookSignature.verify(secret, delivery.signature(), delivery.body(), START,
                WebhookSignature.DEFAULT_TOLERANCE)).isTrue();
        assertThat(WebhookSignature.verify(secret, delivery.signature(), delivery.body() + " ", START,
                WebhookSignature.DEFAULT_TOLERANCE)).as("a changed body").isFalse();
        assertThat(WebhookSignature.verify("whsec_other", delivery.signature(), delivery.body(), START,
                WebhookSignature.DEFAULT_TOLERANCE)).as("another secret").isFalse();
        assertThat(WebhookSignature.verify(secret, delivery.signature(), delivery.body(),
                START.plus(Duration.ofMinutes(6)), WebhookSignature.DEFAULT_TOLERANCE)).as("a replay").isFalse();
        List<JsonNode> attempts = receiverLogged("ops", 1);
        assertThat(attempts.get(0).get("event_id").asText()).isEqualTo(delivery.eventId());
        assertThat(attempts.get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(attempts.get(0).get("status_code").asInt()).isEqualTo(200);
        assertThat(attempts.get(0).get("error").isNull()).isTrue();
    }

    /** Waits for the server to log {@code count} attempts at the endpoint (the log follows the answer). */
    private List<JsonNode> receiverLogged(String endpoint, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<JsonNode> attempts = deliveries(endpoint);
        while (attempts.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            attempts = deliveries(endpoint);
        }
        return attempts;
    }

    @Test
    void R76_a_receiver_that_fails_twice_then_drops_the_connection_gets_the_event_on_the_fourth_attempt()
            throws Exception {
        receiver.then(new WebhookReceiver.Status(500), new WebhookReceiver.Status(503), new WebhookReceiver.Drop());
        endpoint("flaky");
        crossEightyPercent();

        List<WebhookReceiver.Received> got = receiver.await(4, WAIT, laterWhenLogged("flaky"));

        assertThat(got).hasSize(4).extracting(WebhookReceiver.Received::eventId).containsOnly(got.get(0).eventId());
        List<JsonNode> attempts = receiverLogged("flaky", 4);
        assertThat(attempts).extracting(a -> a.get("attempt").asInt()).containsExactly(4, 3, 2, 1);
        assertThat(attempts.get(0).get("status_code").asInt()).isEqualTo(200);
        assertThat(attempts.get(1).get("status_code").isNull()).isTrue();
        assertThat(attempts.get(1).get("error").asText()).isNotBlank();
        assertThat(attempts.get(2).get("status_code").asInt()).isEqualTo(503);
        assertThat(attempts.get(3).get("status_code").asInt()).isEqualTo(500);
        Thread.sleep(3 * TallyServer.DISPATCH_INTERVAL.toMillis());
        aMinuteLater();
        Thread.sleep(3 * TallyServer.DISPATCH_INTERVAL.toMillis());
        assertThat(receiver.received()).as("nothing after a 2xx").hasSize(4);
    }

    @Test
    void R76_a_slow_answer_within_ten_seconds_is_delivered_and_its_latency_logged() throws Exception {
        receiver.then(new WebhookReceiver.Slow(Duration.ofMillis(1500), 204));
        endpoint("slow");
        crossEightyPercent();

        receiver.await(1, WAIT, () -> { });
        List<JsonNode> attempts = receiverLogged("slow", 1);

        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).get("status_code").asInt()).isEqualTo(204);
        assertThat(attempts.get(0).get("latency_ms").asLong()).isGreaterThanOrEqualTo(1500);
    }

    @Test
    void R76_an_operator_redelivers_an_event_and_metrics_count_deliveries() throws Exception {
        endpoint("again");
        crossEightyPercent();
        receiver.await(1, WAIT, () -> { });
        receiverLogged("again", 1);
        String eventId = receiver.received().get(0).eventId();

        ApiClient.Response redelivered = admin.post("/v1/events/" + eventId + "/redeliver", null, "again-1");
        List<WebhookReceiver.Received> got = receiver.await(2, WAIT, () -> { });
        receiverLogged("again", 2);
        // A retry of the same redelivery (R20) answers as the first did and queues nothing again.
        ApiClient.Response retried = admin.post("/v1/events/" + eventId + "/redeliver", null, "again-1");
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.json()).isEqualTo(redelivered.json());

        assertThat(redelivered.status()).isEqualTo(202);
        assertThat(redelivered.json().get("endpoints").asInt()).isEqualTo(1);
        assertThat(got).hasSize(2).extracting(WebhookReceiver.Received::eventId).containsOnly(eventId);
        assertThat(admin.post("/v1/events/evt_missing/redeliver", null).error()).isEqualTo("event_not_found");
        String metrics = admin.get("/metrics").text();
        assertThat(metrics).contains("tally_webhook_deliveries{state=\"delivered\"} 1.0")
                .contains("tally_webhook_deliveries{state=\"pending\"} 0.0")
                .containsPattern("tally_webhook_attempts_seconds_count\\{outcome=\"delivered\"[^}]*} 2");
    }

    @Test
    void R76_endpoints_show_their_secret_once_and_bad_ones_are_400_or_404() {
        JsonNode created = assertOk(admin.put("/v1/webhook-endpoints/ops", "{\"url\": \"" + receiver.url()
                + "\", \"events\": [\"*\"]}")).json();
        JsonNode replaced = assertOk(admin.put("/v1/webhook-endpoints/ops", "{\"url\": \"" + receiver.url()
                + "\", \"events\": [\"run.completed\"], \"enabled\": false}")).json();
        JsonNode listed = assertOk(admin.get("/v1/webhook-endpoints")).json().get("endpoints");

        assertThat(created.get("secret").asText()).matches("whsec_[0-9a-f]{48}");
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(replaced.get("secret").isNull()).isTrue();
        assertThat(replaced.get("enabled").asBoolean()).isFalse();
        assertThat(replaced.get("events").toString()).isEqualTo("[\"run.completed\"]");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("secret").isNull()).isTrue();
        assertThat(admin.put("/v1/webhook-endpoints/bad", "{\"url\": \"ftp://example.com/\", \"events\": [\"*\"]}")
                .error()).isEqualTo("invalid_webhook_url");
        assertThat(admin.put("/v1/webhook-endpoints/bad", "{\"url\": \"" + receiver.url()
                + "\", \"events\": [\"usage.everything\"]}").error()).isEqualTo("invalid_event_type");
        assertThat(admin.put("/v1/webhook-endpoints/bad", "{\"events\": [\"*\"]}").status()).isEqualTo(400);
        ApiClient.Response deleted = admin.send("DELETE", "/v1/webhook-endpoints/ops", null, java.util.Map.of());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("id").asText()).isEqualTo("ops");
        assertThat(deleted.json().get("secret").isNull()).isTrue();
        assertThat(admin.get("/v1/webhook-endpoints/ops/deliveries").error()).isEqualTo("webhook_endpoint_not_found");
        assertThat(admin.send("DELETE", "/v1/webhook-endpoints/ops", null, java.util.Map.of()).status())
                .isEqualTo(404);
    }

    @Test
    void R77_a_receiver_that_takes_30_seconds_does_not_delay_another_endpoints_deliveries() throws Exception {
        try (WebhookReceiver stuck = new WebhookReceiver()) {
            for (int i = 0; i < 10; i++) {
                stuck.then(new WebhookReceiver.Slow(Duration.ofSeconds(30), 200));
            }
            assertOk(admin.put("/v1/webhook-endpoints/stuck", "{\"url\": \"" + stuck.url()
                    + "\", \"events\": [\"*\"]}"));
            endpoint("healthy");
            long started = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                crossEightyPercent("user-" + i);
            }

            List<WebhookReceiver.Received> got = receiver.await(10, Duration.ofSeconds(5), () -> { });
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            System.out.printf("10 events to a healthy endpoint beside one that answers in 30 s: all in %d ms%n",
                    took.toMillis());
            assertThat(got).as("delivered to the healthy endpoint within 5 s").hasSize(10);
            assertThat(stuck.received()).as("the slow one has its share under way").isNotEmpty()
                    .hasSizeLessThanOrEqualTo(dev.tally.application.webhook.WebhookDispatcher.PER_ENDPOINT);
        }
    }

    @Test
    void R77_the_server_connects_to_the_address_it_checked_not_to_where_the_name_resolves_later() throws Exception {
        try (WebhookReceiver checked = new WebhookReceiver(new java.net.InetSocketAddress(
                InetAddress.getByName("127.0.0.2"), receiver.port()))) {
            assertOk(admin.put("/v1/webhook-endpoints/named", "{\"url\": \"http://localhost:" + receiver.port()
                    + "/hooks/tally\", \"events\": [\"*\"]}"));
            for (int i = 0; i < 5; i++) {
                crossEightyPercent("user-" + i);
            }

            List<WebhookReceiver.Received> got = checked.await(5, WAIT, () -> { });

            assertThat(got).hasSize(5).allSatisfy(r -> assertThat(r.host()).isEqualTo("localhost:" + receiver.port()));
            assertThat(receiver.received()).as("what localhost resolves to outside the server").isEmpty();
        }
    }

    @Test
    void R77_a_disabled_endpoint_gets_no_retry_and_a_101st_endpoint_is_409() throws Exception {
        receiver.then(new WebhookReceiver.Status(503));
        endpoint("flaky");
        crossEightyPercent();
        receiver.await(1, WAIT, () -> { });
        receiverLogged("flaky", 1);

        assertOk(admin.put("/v1/webhook-endpoints/flaky", "{\"url\": \"" + receiver.url()
                + "\", \"events\": [\"*\"], \"enabled\": false}"));
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofHours(1));
            Thread.sleep(2 * TallyServer.DISPATCH_INTERVAL.toMillis());
        }

        assertThat(receiver.received()).as("no retry once disabled").hasSize(1);
        for (int i = 1; i < dev.tally.application.webhook.WebhookService.MAX_ENDPOINTS; i++) {
            assertOk(admin.put("/v1/webhook-endpoints/e" + i, "{\"url\": \"" + receiver.url()
                    + "\", \"events\": [\"run.completed\"], \"enabled\": false}"));
        }
        ApiClient.Response tooMany = admin.put("/v1/webhook-endpoints/one-more", "{\"url\": \"" + receiver.url()
                + "\", \"events\": [\"*\"]}");
        assertThat(tooMany.status()).isEqualTo(409);
        assertThat(tooMany.error()).isEqualTo("too_many_webhook_endpoints");
        assertThat(assertOk(admin.get("/v1/webhook-endpoints")).json().get("endpoints")).hasSize(100);
    }
}
