package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.adapter.http.ApiClient;
import dev.tally.adapter.http.WebhookReceiver;
import dev.tally.application.Tally;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R76, R77 across nodes: two API servers with their dispatchers on one database (an H2 file, a
 * PostgreSQL schema) deliver to a receiver that answers in 30 s and to a healthy one. Each
 * (event, attempt) is recorded once, every request the slow receiver got is an attempt recorded
 * (or the one under way), and the healthy endpoint gets its events at once.
 */
class TwoNodeWebhookTest {

    private static final int EVENTS = 10;
    /** Two rounds of 10 s attempts at the slow receiver, and its first retries. */
    private static final Duration WATCHED = Duration.ofSeconds(24);

    @Test
    void R77_two_nodes_on_one_h2_file_make_each_attempt_once_and_keep_a_healthy_endpoint_on_time(
            @TempDir Path directory) throws Exception {
        watch("H2", "jdbc:h2:file:" + directory.resolve("tally").toAbsolutePath());
    }

    @Test
    void R77_two_nodes_on_one_postgresql_make_each_attempt_once_and_keep_a_healthy_endpoint_on_time()
            throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema()) {
            watch("PostgreSQL", schema.url());
        }
    }

    private static void watch(String database, String url) throws Exception {
        Tally.Settings settings = Tally.Settings.DEFAULTS.allowingPrivateWebhooks(true);
        try (TallyApp first = TallyApp.open(url, Clock.systemUTC(), settings);
             TallyApp second = TallyApp.open(url, Clock.systemUTC(), settings);
             WebhookReceiver slow = new WebhookReceiver();
             WebhookReceiver healthy = new WebhookReceiver()) {
            for (int i = 0; i < 4 * EVENTS; i++) {
                slow.then(new WebhookReceiver.Slow(Duration.ofSeconds(30), 200));
            }
            String adminKey = first.ensureAdminKey(Optional.empty()).orElseThrow();
            List<ApiClient> nodes = List.of(new ApiClient(first.serve(0), adminKey),
                    new ApiClient(second.serve(0), adminKey));
            ApiClient admin = nodes.get(0);
            assertThat(admin.put("/v1/webhook-endpoints/slow", "{\"url\": \"" + slow.url()
                    + "\", \"events\": [\"*\"]}").status()).isEqualTo(200);
            assertThat(admin.put("/v1/webhook-endpoints/healthy", "{\"url\": \"" + healthy.url()
                    + "\", \"events\": [\"*\"]}").status()).isEqualTo(200);
            assertThat(admin.put("/v1/plans/pro", "{\"limits\": {\"exports\": 10}}").status()).isEqualTo(200);
            long started = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                ApiClient node = nodes.get(i % 2);
                assertThat(node.put("/v1/users/u" + i, "{\"plan_id\": \"pro\"}").status()).isEqualTo(200);
                assertThat(node.post("/v1/users/u" + i + "/usage", "{\"records\": [{\"metric\": \"exports\","
                        + " \"quantity\": 8, \"idempotency_key\": \"k" + i + "\"}]}").status()).isEqualTo(200);
            }

            long created = System.nanoTime();
            List<WebhookReceiver.Received> onTime = healthy.await(EVENTS, Duration.ofSeconds(5), () -> { });
            long healthyMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            long afterLastEvent = Duration.ofNanos(System.nanoTime() - created).toMillis();
            Thread.sleep(Math.max(0, WATCHED.toMillis() - healthyMillis));
            List<JsonNode> attempts = new ArrayList<>();
            admin.get("/v1/webhook-endpoints/slow/deliveries").json().get("deliveries").forEach(attempts::add);
            Set<String> distinct = attempts.stream()
                    .map(a -> a.get("event_id").asText() + "#" + a.get("attempt").asInt())
                    .collect(Collectors.toCollection(HashSet::new));
            Map<String, Long> postsByEvent = slow.received().stream()
                    .collect(Collectors.groupingBy(WebhookReceiver.Received::eventId, Collectors.counting()));
            Map<String, Long> attemptsByEvent = attempts.stream()
                    .collect(Collectors.groupingBy(a -> a.get("event_id").asText(), Collectors.counting()));
            System.out.printf("%s, two nodes, %d events: the healthy endpoint had them all %d ms after the first was"
                            + " created (%d ms after the last); in %d s the slow one got %d requests, %d attempts"
                            + " recorded, %d distinct (event, attempt)%n", database, EVENTS, healthyMillis,
                    afterLastEvent, WATCHED.toSeconds(), slow.received().size(), attempts.size(), distinct.size());

            assertThat(onTime).hasSize(EVENTS);
            assertThat(healthy.received().stream().map(WebhookReceiver.Received::eventId).distinct()).hasSize(EVENTS);
            assertThat(attempts).isNotEmpty().hasSize(distinct.size());
            // Each request is a recorded attempt, or one still under way (at most two at a time).
            postsByEvent.forEach((event, posts) -> assertThat(posts).as(event)
                    .isBetween(attemptsByEvent.getOrDefault(event, 0L), attemptsByEvent.getOrDefault(event, 0L) + 1));
            assertThat(slow.received().size()).isLessThanOrEqualTo(attempts.size() + 2);
        }
    }
}
