package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in the test JVM: Apache Kafka's own KRaft test kit (one combined broker and
 * controller), started once for every test that needs it and stopped with the JVM.
 */
final class KafkaBroker {

    /**
     * Consumers notice a member that died within seconds, not the default 45 s, so that a test of
     * a kill sees the group move on (the broker's lowest allowed session timeout is 6 s).
     */
    static final Map<String, String> QUICK_GROUP = Map.of(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");

    private static KafkaClusterTestKit cluster;
    private static Admin admin;

    private KafkaBroker() {
    }

    static synchronized String bootstrap() {
        if (cluster == null) {
            try {
                KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .build();
                kit.format();
                kit.startup();
                kit.waitForReadyBrokers();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        kit.close();
                    } catch (Exception ignored) {
                        // The JVM is ending.
                    }
                }, "kafka-test-broker-stop"));
                cluster = kit;
                admin = kit.admin();
            } catch (Exception e) {
                throw new IllegalStateException("the in-process Kafka broker did not start", e);
            }
        }
        return cluster.bootstrapServers();
    }

    /** A new topic of {@code partitions} partitions, named uniquely after {@code prefix}. */
    static String topic(String prefix, int partitions) {
        bootstrap();
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("topic " + name + " not created", e);
        }
        return name;
    }

    /** A producer that waits for the broker's acknowledgement and retries on its own. */
    static KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    /** Records of {@code topic} not yet committed by {@code group}, over all partitions. */
    static long uncommitted(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
            long behind = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata at = committed.get(partition);
                behind += ends.get(partition).offset() - (at == null ? 0 : at.offset());
            }
            return behind;
        } catch (Exception e) {
            throw new IllegalStateException("offsets of " + group + " on " + topic + " not read", e);
        }
    }

    /** Waits until {@code group} has committed every record of {@code topic}. */
    static void awaitCommitted(String group, String topic, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long behind = uncommitted(group, topic);
        while (behind > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            behind = uncommitted(group, topic);
        }
        assertThat(behind).as("records of %s not committed by group %s after %s", topic, group, within).isZero();
    }

    /** Every record of {@code topic} from the start, once {@code count} are there (or {@code within} has passed). */
    static List<ConsumerRecord<String, String>> readAll(String topic, int count, Duration within) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + within.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Anything beyond count (a letter sent twice) shows up within a last short poll.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }
}
