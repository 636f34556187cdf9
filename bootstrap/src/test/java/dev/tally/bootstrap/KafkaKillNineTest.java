package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.adapter.http.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R95 with R20 and R23 through crashes: {@code tally serve --kafka-bootstrap …} runs as a child
 * process and is killed with SIGKILL while it is writing a backlog (its offsets not yet committed
 * for what it last wrote), {@value #KILLS} times, then started again on the same database; the
 * producer meanwhile sends some records a second time, as a producer retrying does. Every record
 * is counted exactly once: what a killed node wrote and did not commit is replayed and found by its
 * idempotency key. On H2 (a file) and on PostgreSQL (skipped, visibly, without
 * {@code TALLY_TEST_POSTGRES_URL}).
 */
class KafkaKillNineTest {

    private static final int KILLS = 2;
    private static final int RECORDS_PER_ROUND = 5_000;
    /** Every this many records one is sent again, a little later. */
    private static final int RESEND_EVERY = 7;

    @Test
    void R95_kill_9_mid_batch_on_an_h2_file_loses_and_doubles_nothing(@TempDir Path directory) throws Exception {
        soak("H2", "jdbc:h2:file:" + directory.resolve("tally").toAbsolutePath());
    }

    @Test
    void R95_kill_9_mid_batch_on_postgresql_loses_and_doubles_nothing() throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema()) {
            soak("PostgreSQL", schema.url());
        }
    }

    private static void soak(String database, String url) throws Exception {
        long started = System.nanoTime();
        KafkaUsage usage = new KafkaUsage(20);
        usage.setUp(url);
        String topic = KafkaBroker.topic("usage-kill", 4);
        String group = "tally-" + topic;
        List<String> flags = new ArrayList<>(List.of("--kafka-bootstrap", KafkaBroker.bootstrap(),
                "--kafka-topic", topic, "--kafka-group", group));
        KafkaBroker.QUICK_GROUP.forEach((key, value) -> flags.addAll(List.of("--kafka-property", key + "=" + value)));
        List<String> killedAt = new ArrayList<>();
        try (KafkaProducer<String, String> producer = KafkaBroker.producer()) {
            for (int round = 0; round < KILLS; round++) {
                // A backlog for this round, and a retry of some records of the last one (counted already, or not).
                send(usage, producer, topic, (long) round * RECORDS_PER_ROUND, (long) (round + 1) * RECORDS_PER_ROUND);
                try (ServerProcess server = ServerProcess.start(url, KafkaUsage.ADMIN_KEY,
                        flags.toArray(String[]::new))) {
                    ApiClient api = new ApiClient(server.port, KafkaUsage.ADMIN_KEY);
                    long killAfter = ThreadLocalRandom.current().nextLong(500, 3000);
                    JsonNode kafka = kafka(api);
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (kafka.path("counted").asLong() + kafka.path("duplicates").asLong() < killAfter) {
                        assertThat(System.nanoTime()).as("waited 60 s for the node to consume").isLessThan(deadline);
                        Thread.sleep(10);
                        kafka = kafka(api);
                    }
                    server.kill();
                    killedAt.add(kafka.path("counted").asLong() + " counted, lag " + kafka.path("lag").asLong());
                    assertThat(KafkaBroker.uncommitted(group, topic)).as("records left when killed").isPositive();
                }
            }
            send(usage, producer, topic, (long) KILLS * RECORDS_PER_ROUND, (long) (KILLS + 1) * RECORDS_PER_ROUND);
        }
        try (ServerProcess server = ServerProcess.start(url, KafkaUsage.ADMIN_KEY, flags.toArray(String[]::new))) {
            KafkaBroker.awaitCommitted(group, topic, Duration.ofSeconds(90));
            server.stop();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        KafkaUsage.Figures figures = usage.verify(url, 0);
        figures.print("kill -9 mid-batch " + KILLS + "x (killed at " + killedAt + "), " + database, seconds);
        assertThat(figures.anomalies()).isEmpty();
        assertThat(figures.sends()).as("sends, retries included").isGreaterThan(figures.distinct());
        assertThat(figures.counted()).as("counted").isEqualTo(figures.distinct());
        assertThat(figures.lost()).as("lost").isZero();
        assertThat(figures.doubled()).as("doubled").isZero();
        assertThat(figures.drifted()).as("rollups drifted").isZero();
    }

    /** Records {@code from}–{@code to}, and again every {@value #RESEND_EVERY}th of the round before. */
    private static void send(KafkaUsage usage, KafkaProducer<String, String> producer, String topic, long from,
                             long to) {
        usage.send(producer, topic, from, to);
        for (long i = Math.max(0, from - RECORDS_PER_ROUND); i < from; i += RESEND_EVERY) {
            producer.send(usage.record(topic, i));
        }
        producer.flush();
    }

    private static JsonNode kafka(ApiClient api) {
        return api.get("/v1/health").json().path("kafka");
    }
}
