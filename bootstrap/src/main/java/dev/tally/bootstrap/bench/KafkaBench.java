package dev.tally.bootstrap.bench;

import dev.tally.adapter.kafka.KafkaIngest;
import dev.tally.adapter.kafka.KafkaIngestSettings;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Records per second from a Kafka topic into Tally's storage (R95): a backlog of single-event
 * usage messages is put on a new topic first, then {@code nodes} Tally instances over the same
 * database consume it in one group until every offset is committed. The rate is taken from the
 * first record counted to the last commit, so that joining the group is not part of it.
 */
public final class KafkaBench {

    private static final Duration WITHIN = Duration.ofMinutes(10);

    private KafkaBench() {
    }

    /**
     * What one run measured.
     *
     * @param seconds from the first record counted to the last offset committed
     * @param counted records counted in that time
     */
    public record Result(String storage, int nodes, int partitions, long records, long counted, double seconds) {

        public double perSecond() {
            return counted / seconds;
        }

        @Override
        public String toString() {
            return String.format("%s, %d node(s), %d partitions: %d records, %.0f records/s", storage, nodes,
                    partitions, records, perSecond());
        }
    }

    /** Puts {@code records} on a new topic of {@code partitions} on {@code bootstrap}, then consumes them. */
    public static Result run(BenchHost host, String dbUrl, String bootstrap, int nodes, int partitions, long records,
                             int users) throws InterruptedException, ExecutionException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench-usage-" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            List<BenchHost.Server> servers = new ArrayList<>();
            List<KafkaIngest> consumers = new ArrayList<>();
            try {
                for (int n = 0; n < nodes; n++) {
                    servers.add(host.open(dbUrl));
                }
                PlanId plan = new PlanId("bench-" + run);
                servers.get(0).tally().plans().put(Plan.of(plan, "Bench", new PlanLimits(Map.of())));
                for (int u = 0; u < users; u++) {
                    servers.get(0).tally().users().put(PutUser.of(new UserId("bench-" + run + "-" + u), plan));
                }
                produce(bootstrap, topic, run, records, users);
                KafkaIngestSettings settings = KafkaIngestSettings.of(bootstrap, topic).withGroup("bench-" + run);
                for (BenchHost.Server server : servers) {
                    consumers.add(KafkaIngest.start(server.tally().usage(), settings, new SimpleMeterRegistry()));
                }
                long deadline = System.nanoTime() + WITHIN.toNanos();
                long firstAt = 0;
                long countedBefore = 0;
                while (uncommitted(admin, settings.group(), topic, partitions) > 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("not consumed within " + WITHIN);
                    }
                    long counted = consumers.stream().mapToLong(c -> c.status().counted()).sum();
                    if (firstAt == 0 && counted > 0) {
                        firstAt = System.nanoTime();
                        countedBefore = counted;
                    }
                    Thread.sleep(5);
                }
                long endAt = System.nanoTime();
                long counted = consumers.stream().mapToLong(c -> c.status().counted()).sum();
                return new Result(servers.get(0).storageDescription(), nodes, partitions, records,
                        counted - countedBefore, (endAt - firstAt) / 1e9);
            } finally {
                consumers.forEach(KafkaIngest::close);
                servers.forEach(BenchHost.Server::close);
            }
        }
    }

    private static void produce(String bootstrap, String topic, String run, long records, int users) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, "b-" + i, "{\"user_id\":\"bench-" + run + "-" + (i % users)
                        + "\",\"metric\":\"bench.events\",\"quantity\":1}"));
            }
            producer.flush();
        }
    }

    private static long uncommitted(Admin admin, String group, String topic, int partitions)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long behind = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            behind += end.getValue().offset() - (at == null ? 0 : at.offset());
        }
        return behind;
    }
}
