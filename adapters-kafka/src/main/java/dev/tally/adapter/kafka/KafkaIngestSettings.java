package dev.tally.adapter.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where a node reads usage from (R95) and how.
 *
 * @param bootstrap       the brokers to start from, {@code host:port[,host:port…]}
 * @param topic           the topic of usage messages
 * @param group           the consumer group; the nodes that share it share the topic's partitions
 * @param deadLetterTopic where a message that is invalid or refused goes, with its error body
 * @param maxPollRecords  the most records one poll hands over, and so one commit of offsets covers
 * @param writers         threads that write a poll's records, each user's on one of them in order (records of
 *                        different users are written at once, so that each commit's wait overlaps others)
 * @param retryStorage    how long consumption waits before trying again when storage is unavailable (R66);
 *                        it doubles on each failure up to ten times this
 * @param clientProperties further Kafka client properties (security, timeouts), given to the consumer and the
 *                        dead-letter producer alike; they never override the group, the offset commits or
 *                        the (de)serializers this adapter depends on
 */
public record KafkaIngestSettings(String bootstrap, String topic, String group, String deadLetterTopic,
                                  int maxPollRecords, int writers, Duration retryStorage,
                                  Map<String, String> clientProperties) {

    /** The consumer group when none is named. */
    public static final String DEFAULT_GROUP = "tally";
    /** The default records per poll: a few group commits' worth, well within a poll interval. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 2000;
    /** Enough to overlap commits on a database server; a few connections of the node's pool. */
    public static final int DEFAULT_WRITERS = 4;
    public static final Duration DEFAULT_RETRY_STORAGE = Duration.ofMillis(500);

    public KafkaIngestSettings {
        requireText(bootstrap, "bootstrap");
        requireText(topic, "topic");
        requireText(group, "group");
        requireText(deadLetterTopic, "deadLetterTopic");
        if (deadLetterTopic.equals(topic)) {
            throw new IllegalArgumentException("the dead-letter topic must not be the topic it is fed from: " + topic);
        }
        if (maxPollRecords < 1 || maxPollRecords > 100_000) {
            throw new IllegalArgumentException("maxPollRecords must be 1-100000: " + maxPollRecords);
        }
        if (writers < 1 || writers > 64) {
            throw new IllegalArgumentException("writers must be 1-64: " + writers);
        }
        Objects.requireNonNull(retryStorage, "retryStorage");
        if (retryStorage.isNegative() || retryStorage.isZero()) {
            throw new IllegalArgumentException("retryStorage must be positive: " + retryStorage);
        }
        clientProperties = Map.copyOf(clientProperties);
    }

    /** {@code topic} on {@code bootstrap}, group {@code tally}, dead letters to {@code <topic>.dlq}. */
    public static KafkaIngestSettings of(String bootstrap, String topic) {
        return new KafkaIngestSettings(bootstrap, topic, DEFAULT_GROUP, topic + ".dlq", DEFAULT_MAX_POLL_RECORDS,
                DEFAULT_WRITERS, DEFAULT_RETRY_STORAGE, Map.of());
    }

    /** The same in another consumer group. */
    public KafkaIngestSettings withGroup(String other) {
        return new KafkaIngestSettings(bootstrap, topic, other, deadLetterTopic, maxPollRecords, writers, retryStorage,
                clientProperties);
    }

    /** The same with another dead-letter topic. */
    public KafkaIngestSettings withDeadLetterTopic(String other) {
        return new KafkaIngestSettings(bootstrap, topic, group, other, maxPollRecords, writers, retryStorage,
                clientProperties);
    }

    /** The same with another bound of records per poll. */
    public KafkaIngestSettings withMaxPollRecords(int records) {
        return new KafkaIngestSettings(bootstrap, topic, group, deadLetterTopic, records, writers, retryStorage,
                clientProperties);
    }

    /** The same with another number of writer threads. */
    public KafkaIngestSettings withWriters(int threads) {
        return new KafkaIngestSettings(bootstrap, topic, group, deadLetterTopic, maxPollRecords, threads, retryStorage,
                clientProperties);
    }

    /** The same with further Kafka client properties. */
    public KafkaIngestSettings withClientProperties(Map<String, String> properties) {
        return new KafkaIngestSettings(bootstrap, topic, group, deadLetterTopic, maxPollRecords, writers, retryStorage,
                properties);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
