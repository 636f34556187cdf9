package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.adapter.http.ApiClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * R95 against a real broker (Apache Kafka's in-process KRaft test kit, no mock): records consumed
 * by Tally nodes in one group are each counted exactly once, through a rebalance too, and what
 * cannot be counted goes to the dead-letter topic without holding up its partition. Each test
 * prints what it sent, counted, dead-lettered, lost and doubled.
 */
class KafkaIngestTest {

    /** Records of the two-node test; {@code -Dtally.kafka.records=1000000} for a long run. */
    private static final int RECORDS = Integer.getInteger("tally.kafka.records", 100_000);
    private static final Duration CONSUMED_WITHIN = Duration.ofSeconds(Math.max(90, RECORDS / 1000));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void R95_records_over_4_partitions_and_two_nodes_are_each_counted_once_on_postgresql() throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema()) {
            KafkaUsage usage = new KafkaUsage(50);
            usage.setUp(schema.url());
            String topic = KafkaBroker.topic("usage", 4);
            long started = System.nanoTime();
            long first;
            long second;
            try (KafkaUsage.Node a = KafkaUsage.Node.start(schema.url(), KafkaUsage.settings(topic));
                 KafkaUsage.Node b = KafkaUsage.Node.start(schema.url(), KafkaUsage.settings(topic));
                 KafkaProducer<String, String> producer = KafkaBroker.producer()) {
                usage.send(producer, topic, 0, RECORDS);
                KafkaBroker.awaitCommitted("tally-" + topic, topic, CONSUMED_WITHIN);
                first = a.counted();
                second = b.counted();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            KafkaUsage.Figures figures = usage.verify(schema.url(), 0);
            figures.print("two nodes, 4 partitions, PostgreSQL (node counts " + first + " + " + second + ")",
                    seconds);
            assertThat(figures.anomalies()).isEmpty();
            assertThat(figures.counted()).as("counted").isEqualTo(RECORDS);
            assertThat(figures.lost()).as("lost").isZero();
            assertThat(figures.doubled()).as("doubled").isZero();
            assertThat(figures.drifted()).as("rollups drifted").isZero();
            assertThat(first + second).as("counted by the two nodes together").isEqualTo(RECORDS);
            assertThat(first).as("node A took its share of the partitions").isPositive();
            assertThat(second).as("node B took its share of the partitions").isPositive();
        }
    }

    @Test
    void R95_a_rebalance_while_consuming_loses_and_doubles_nothing_on_postgresql() throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema()) {
            KafkaUsage usage = new KafkaUsage(20);
            usage.setUp(schema.url());
            String topic = KafkaBroker.topic("usage-rebalance", 4);
            long started = System.nanoTime();
            AtomicReference<Exception> failed = new AtomicReference<>();
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicLong next = new AtomicLong();
            long joined;
            long left;
            try (KafkaUsage.Node b = KafkaUsage.Node.start(schema.url(), KafkaUsage.settings(topic));
                 KafkaProducer<String, String> producer = KafkaBroker.producer()) {
                KafkaUsage.Node a = KafkaUsage.Node.start(schema.url(), KafkaUsage.settings(topic));
                // Records keep coming while the group changes: 500 every 20 ms until told to stop.
                Thread sender = new Thread(() -> {
                    try {
                        while (sending.get()) {
                            long from = next.get();
                            usage.send(producer, topic, from, from + 500);
                            next.set(from + 500);
                            Thread.sleep(20);
                        }
                    } catch (Exception e) {
                        failed.set(e);
                    }
                }, "rebalance-producer");
                sender.start();
                await(() -> a.counted() > 0 && b.counted() > 0, "both first nodes counting");
                try (KafkaUsage.Node c = KafkaUsage.Node.start(schema.url(), KafkaUsage.settings(topic))) {
                    // A third node joins: the partitions are shared out again while records arrive.
                    await(() -> c.counted() > 0, "the third node counting");
                    // And one leaves, mid-stream; the others take its partitions over.
                    long sentBeforeLeaving = next.get();
                    a.close();
                    left = a.counted();
                    await(() -> next.get() > sentBeforeLeaving + 5000, "5 000 more records sent after a node left");
                    sending.set(false);
                    sender.join();
                    KafkaBroker.awaitCommitted("tally-" + topic, topic, CONSUMED_WITHIN);
                    joined = c.counted();
                }
            }
            assertThat(failed.get()).as("producer failure").isNull();
            double seconds = (System.nanoTime() - started) / 1e9;
            KafkaUsage.Figures figures = usage.verify(schema.url(), 0);
            figures.print("rebalance (a third node joins, one leaves), PostgreSQL (the one that left counted " + left
                    + ", the one that joined " + joined + ")", seconds);
            assertThat(figures.anomalies()).isEmpty();
            assertThat(figures.counted()).as("counted").isEqualTo(figures.distinct());
            assertThat(figures.lost()).as("lost").isZero();
            assertThat(figures.doubled()).as("doubled").isZero();
            assertThat(figures.drifted()).as("rollups drifted").isZero();
            assertThat(joined).as("records counted by the node that joined").isPositive();
            assertThat(left).as("records counted by the node that left").isPositive();
        }
    }

    @Test
    void R66_a_database_outage_pauses_consumption_and_it_resumes_by_itself_on_postgresql() throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema()) {
            String application = "tally-kafka-outage-" + schema.schema();
            String url = schema.url() + "&ApplicationName=" + application;
            KafkaUsage usage = new KafkaUsage(20);
            usage.setUp(url);
            String topic = KafkaBroker.topic("usage-outage", 4);
            long started = System.nanoTime();
            Set<String> states = new LinkedHashSet<>();
            int terminated = 0;
            double pausedMetric = 0;
            try (KafkaUsage.Node node = KafkaUsage.Node.start(url, KafkaUsage.settings(topic));
                 KafkaProducer<String, String> producer = KafkaBroker.producer()) {
                usage.send(producer, topic, 0, 20_000);
                await(() -> node.counted() > 0, "the first records counted");
                // The database goes away for 3 s: every connection this node opens is cut at once.
                long outageEnds = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                ApiClient api = new ApiClient(node.port(), KafkaUsage.ADMIN_KEY);
                while (System.nanoTime() < outageEnds) {
                    terminated += BackendTerminationTest.terminate(schema.server(), application);
                    states.add(node.ingest().status().state());
                    if (pausedMetric == 0) {
                        pausedMetric = gauge(api.get("/metrics").text(), "tally_kafka_consumer_paused{topic=\"" + topic
                                + "\"}");
                    }
                }
                KafkaBroker.awaitCommitted("tally-" + topic, topic, CONSUMED_WITHIN);
                assertThat(api.get("/v1/health").json().path("kafka").path("state").asText())
                        .as("consumption resumed by itself").isEqualTo("consuming");
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            KafkaUsage.Figures figures = usage.verify(schema.url(), 0);
            figures.print("database outage (" + terminated + " connections cut; states seen " + states
                    + "), PostgreSQL", seconds);
            assertThat(states).as("consumption paused while storage was away").contains("paused");
            assertThat(pausedMetric).as("tally_kafka_consumer_paused during the outage").isEqualTo(1.0);
            assertThat(figures.anomalies()).isEmpty();
            assertThat(figures.counted()).as("counted").isEqualTo(figures.distinct());
            assertThat(figures.lost()).as("lost").isZero();
            assertThat(figures.doubled()).as("doubled").isZero();
            assertThat(figures.drifted()).as("rollups drifted").isZero();
        }
    }

    private static double gauge(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1))).orElse(0.0);
    }

    @Test
    void R95_poison_and_refused_records_are_dead_lettered_with_their_error_and_the_partition_moves_on()
            throws Exception {
        String url = TestDatabases.h2Url() + ";DB_CLOSE_DELAY=-1";
        KafkaUsage usage = new KafkaUsage(2);
        usage.setUp(url);
        String topic = KafkaBroker.topic("usage-poison", 2);
        String user = KafkaUsage.user(0).value();
        Instant now = Instant.now();
        // key → message, and the error each refused one must carry.
        List<String[]> poison = List.of(
                new String[] {"p-malformed", "{not json", "malformed_json"},
                new String[] {"p-array", "[1, 2]", "invalid_body"},
                new String[] {"p-duplicate-field", "{\"user_id\":\"" + user + "\",\"metric\":\"events\","
                        + "\"quantity\":1,\"quantity\":1000}", "malformed_json"},
                new String[] {"p-exponent", "{\"user_id\":\"" + user + "\",\"metric\":\"events\","
                        + "\"quantity\":1e-999999999}", "number_out_of_range"},
                new String[] {"p-nul", "{\"user_id\":\"" + user + "\",\"metric\":\"events\",\"quantity\":1,"
                        + "\"dimensions\":{\"a\":\"x\\u0000y\"}}", "invalid_text"},
                new String[] {"p-no-user", "{\"metric\":\"events\",\"quantity\":1}", "missing_field"},
                new String[] {"p-ghost", "{\"user_id\":\"ghost\",\"metric\":\"events\",\"quantity\":1}",
                        "user_not_found"},
                new String[] {"p-too-old", "{\"user_id\":\"" + user + "\",\"metric\":\"events\",\"quantity\":1,"
                        + "\"occurred_at\":\"" + now.minus(Duration.ofDays(400)) + "\"}", "occurred_at_too_old"},
                new String[] {"p-future", "{\"user_id\":\"" + user + "\",\"metric\":\"events\",\"quantity\":1,"
                        + "\"occurred_at\":\"" + now.plus(Duration.ofDays(1)) + "\"}", "occurred_at_in_future"},
                new String[] {"p-reused", "{\"user_id\":\"" + user + "\",\"metric\":\"pages\",\"quantity\":2,"
                        + "\"idempotency_key\":\"reused\"}", "idempotency_key_reused"});
        String dlq = topic + ".dlq";
        long valid = 0;
        try (KafkaUsage.Node node = KafkaUsage.Node.start(url, KafkaUsage.settings(topic).withDeadLetterTopic(dlq));
             KafkaProducer<String, String> producer = KafkaBroker.producer()) {
            // The key's first use, so that the later one with another quantity is a reuse.
            producer.send(new ProducerRecord<>(topic, "first", "{\"user_id\":\"" + user + "\",\"metric\":\"pages\","
                    + "\"quantity\":1,\"idempotency_key\":\"reused\"}")).get();
            valid++;
            KafkaBroker.awaitCommitted("tally-" + topic, topic, Duration.ofSeconds(60));
            int next = 0;
            for (String[] message : poison) {
                producer.send(new ProducerRecord<>(topic, message[0], message[1]));
                // Valid records around each poison one, on every partition.
                usage.send(producer, topic, next, next + 5);
                next += 5;
                valid += 5;
            }
            producer.send(new ProducerRecord<>(topic, "p-tombstone", null));
            // Enforced: the plan allows 5 calls, so 3 of these 8 are refused (R12) and the 5 others count.
            // All eight are keyed by their user, as producers key to keep a user's records in order, and
            // carry no idempotency key: each is a record of its own, not a duplicate of the first (R95).
            for (int i = 0; i < 8; i++) {
                producer.send(new ProducerRecord<>(topic, "call-" + user, "{\"user_id\":\"" + user + "\","
                        + "\"metric\":\"calls\",\"quantity\":1,\"enforce\":true}"));
            }
            producer.flush();
            KafkaBroker.awaitCommitted("tally-" + topic, topic, Duration.ofSeconds(60));

            int expectedLetters = poison.size() + 1 + 3;
            List<ConsumerRecord<String, String>> letters = KafkaBroker.readAll(dlq, expectedLetters,
                    Duration.ofSeconds(30));
            Map<String, String> sources = new java.util.HashMap<>();
            List<String> codes = new ArrayList<>();
            for (ConsumerRecord<String, String> letter : letters) {
                JsonNode error = JSON.readTree(header(letter, "tally.error"));
                codes.add(letter.key() + " " + error.path("error").asText());
                assertThat(error.path("message").asText()).as("message of %s", letter.key()).isNotBlank();
                assertThat(header(letter, "tally.source.topic")).isEqualTo(topic);
                sources.put(letter.key(), header(letter, "tally.source.partition") + "/"
                        + header(letter, "tally.source.offset"));
                if (letter.key().startsWith("call-")) {
                    assertThat(error.path("error").asText()).isEqualTo("calls_limit_exceeded");
                    assertThat(error.path("limit").asLong()).isEqualTo(KafkaUsage.CALLS_LIMIT);
                    assertThat(error.path("current_usage").asLong()).isEqualTo(KafkaUsage.CALLS_LIMIT);
                    assertThat(error.path("plan").asText()).isEqualTo(KafkaUsage.PLAN.value());
                }
            }
            System.out.printf("poison: sent %d (%d valid), dead-lettered %d: %s%n", valid + expectedLetters + 5,
                    valid + 5, letters.size(), codes);
            List<String> expected = new ArrayList<>();
            poison.forEach(message -> expected.add(message[0] + " " + message[2]));
            expected.add("p-tombstone body_required");
            assertThat(codes).as("each refused record once, with its error code")
                    .hasSize(expectedLetters)
                    .containsAll(expected)
                    .filteredOn(code -> code.startsWith("call-"))
                    .hasSize(3)
                    .allMatch(code -> code.endsWith("calls_limit_exceeded"));
            // The original message, as it was, from where it was.
            List<ConsumerRecord<String, String>> originals = KafkaBroker.readAll(topic, 0, Duration.ZERO);
            for (ConsumerRecord<String, String> original : originals) {
                String source = sources.get(original.key());
                if (source != null && original.key().startsWith("p-")) {
                    assertThat(source).as("place of %s", original.key())
                            .isEqualTo(original.partition() + "/" + original.offset());
                    ConsumerRecord<String, String> letter = letters.stream()
                            .filter(l -> l.key().equals(original.key())).findFirst().orElseThrow();
                    assertThat(letter.value()).isEqualTo(original.value());
                }
            }

            assertThat(node.ingest().status().deadLettered()).isEqualTo(expectedLetters);
            assertThat(node.ingest().status().counted()).as("valid records counted").isEqualTo(valid + 5);
            ApiClient api = new ApiClient(node.port(), KafkaUsage.ADMIN_KEY);
            JsonNode health = api.get("/v1/health").json().path("kafka");
            assertThat(health.path("state").asText()).isEqualTo("consuming");
            assertThat(health.path("dead_lettered").asLong()).isEqualTo(expectedLetters);
            assertThat(health.path("lag").asLong()).isZero();
            String metrics = api.get("/metrics").text();
            assertThat(metrics).contains("tally_kafka_dead_letters_total{status=\"400\",topic=\"" + topic + "\"} 9.0",
                    "tally_kafka_dead_letters_total{status=\"403\",topic=\"" + topic + "\"} 3.0",
                    "tally_kafka_dead_letters_total{status=\"404\",topic=\"" + topic + "\"} 1.0",
                    "tally_kafka_dead_letters_total{status=\"422\",topic=\"" + topic + "\"} 1.0",
                    "tally_kafka_consumer_lag{partition=\"0\",topic=\"" + topic + "\"} 0.0",
                    "tally_kafka_batch_seconds_count{topic=\"" + topic + "\"}");
        }
        KafkaUsage.Figures figures = usage.verify(url, 0);
        assertThat(figures.lost()).as("valid records lost").isZero();
        assertThat(figures.doubled()).as("valid records doubled").isZero();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s of %s", name, record.key()).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
