package dev.tally.adapter.kafka;

import dev.tally.application.health.IngestStatus;
import dev.tally.application.port.StorageUnavailableException;
import dev.tally.application.usage.UsageService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes usage records from a Kafka topic into Tally (R95), on a thread of its own:
 * <pre>{@code
 * KafkaIngest ingest = KafkaIngest.start(tally.usage(), KafkaIngestSettings.of("kafka:9092", "usage"), registry);
 * tally.health().watchIngest(ingest::status);
 * …
 * ingest.close();   // commits what it has written, then stops
 * }</pre>
 *
 * <p>Each poll's records are written through the usage use case, the one the HTTP API calls
 * ({@link UsageBatches}); the records it refuses go to the dead-letter topic ({@link DeadLetters});
 * only then are the poll's offsets committed. A crash or a rebalance before the commit replays
 * the poll, and the records' idempotency keys count each one once (R20). When storage is
 * unavailable (R66) consumption pauses, the poll is read again, and it resumes by itself.
 */
public final class KafkaIngest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngest.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

    private final KafkaIngestSettings settings;
    private final ExecutorService writers;
    private final UsageBatches batches;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Thread thread;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DeadLetters deadLetters;
    private final Map<TopicPartition, Long> lags = new HashMap<>();
    private final AtomicLong counted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean running = true;
    private volatile String state = "starting";
    private volatile int partitions;
    private volatile long lag;
    private volatile Instant lastCommit;
    private volatile Instant resumeAt;
    private Duration retryAfter;

    private KafkaIngest(UsageService usage, KafkaIngestSettings settings, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.writers = Executors.newFixedThreadPool(settings.writers(), work -> {
            Thread thread = new Thread(work, "tally-kafka-writer");
            thread.setDaemon(true);
            return thread;
        });
        this.batches = new UsageBatches(usage, writers);
        this.metrics = new IngestMetrics(registry, settings.topic());
        this.clock = clock;
        this.retryAfter = settings.retryStorage();
        // Made here, so that settings Kafka refuses are the caller's error, not a dead thread's.
        this.consumer = new KafkaConsumer<>(consumerProperties());
        try {
            this.deadLetters = new DeadLetters(new KafkaProducer<>(producerProperties()), settings.deadLetterTopic());
        } catch (KafkaException e) {
            consumer.close();
            writers.shutdownNow();
            throw e;
        }
        this.thread = new Thread(this::run, "tally-kafka-ingest");
    }

    /**
     * Starts consuming {@code settings.topic()} into {@code usage}, with its meters in {@code registry};
     * returns at once (the consumer joins its group on its own thread).
     */
    public static KafkaIngest start(UsageService usage, KafkaIngestSettings settings, MeterRegistry registry) {
        KafkaIngest ingest = new KafkaIngest(usage, settings, registry, Clock.systemUTC());
        ingest.thread.start();
        return ingest;
    }

    /** How the consumer is doing, for {@code GET /v1/health}. */
    public IngestStatus status() {
        return new IngestStatus(state, partitions, lag, counted.get(), duplicates.get(), deadLettered.get(),
                Optional.ofNullable(lastCommit));
    }

    /**
     * Stops after the poll under way: it is written and its offsets committed first, so that a
     * clean stop replays nothing. Waits up to 30 s.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(STOP_WITHIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
    }

    private void run() {
        try (consumer; deadLetters; AutoCloseable stopWriters = writers::shutdownNow) {
            consumer.subscribe(List.of(settings.topic()), new Assignment(consumer));
            while (running) {
                resumeIfDue(consumer);
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    consume(records);
                }
                measureLag(consumer);
            }
            state = "stopped";
        } catch (Exception e) {
            state = "stopped";
            LOG.error("the Kafka consumer of {} stopped", settings.topic(), e);
        }
    }

    private void consume(ConsumerRecords<byte[], byte[]> records) {
        long started = System.nanoTime();
        try {
            UsageBatches.Written written = batches.write(records);
            // Dead letters are on the dead-letter topic before the offsets that pass them are committed.
            deadLetters.send(written.deadLetters());
            counted.addAndGet(written.counted());
            duplicates.addAndGet(written.duplicates());
            deadLettered.addAndGet(written.deadLetters().size());
            metrics.written(written);
            retryAfter = settings.retryStorage();
            state = "consuming";
            consumer.commitSync(nextOffsets(records));
            lastCommit = clock.instant();
            metrics.committed(System.nanoTime() - started);
        } catch (StorageUnavailableException e) {
            LOG.warn("storage unavailable; consumption of {} paused for {} ms: {}", settings.topic(),
                    retryAfter.toMillis(), e.getMessage());
            pause(consumer, records);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The partitions went to another node, which replays from the last commit; keys count them once.
            LOG.info("offsets of a written poll not committed (the group rebalanced): {}", e.getMessage());
        } catch (KafkaException e) {
            // The dead-letter topic could not take a record, or the commit failed: the poll is read again,
            // and what it wrote is found by its keys.
            LOG.warn("dead letters or offsets not sent; consumption of {} paused for {} ms", settings.topic(),
                    retryAfter.toMillis(), e);
            pause(consumer, records);
        }
    }

    /** Reads the poll again once {@link #retryAfter} has passed; polls go on meanwhile, so the group keeps us. */
    private void pause(KafkaConsumer<byte[], byte[]> consumer, ConsumerRecords<byte[], byte[]> records) {
        state = "paused";
        metrics.paused(true);
        for (TopicPartition partition : records.partitions()) {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
        }
        consumer.pause(consumer.assignment());
        resumeAt = clock.instant().plus(retryAfter);
        Duration longest = settings.retryStorage().multipliedBy(10);
        retryAfter = retryAfter.multipliedBy(2).compareTo(longest) > 0 ? longest : retryAfter.multipliedBy(2);
    }

    private void resumeIfDue(KafkaConsumer<byte[], byte[]> consumer) {
        if (resumeAt != null && !clock.instant().isBefore(resumeAt)) {
            resumeAt = null;
            consumer.resume(consumer.paused());
            metrics.paused(false);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> in = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(in.get(in.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private void measureLag(KafkaConsumer<byte[], byte[]> consumer) {
        long total = 0;
        synchronized (lags) {
            for (TopicPartition partition : consumer.assignment()) {
                long behind = consumer.currentLag(partition).orElse(0);
                lags.put(partition, behind);
                total += behind;
            }
        }
        lag = total;
        partitions = consumer.assignment().size();
        if (resumeAt == null && "starting".equals(state) && !consumer.assignment().isEmpty()) {
            state = "consuming";
        }
    }

    /** Keeps the lag meters to the partitions this node holds. */
    private final class Assignment implements ConsumerRebalanceListener {

        private final KafkaConsumer<byte[], byte[]> consumer;

        Assignment(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            // Every poll is written and committed before the next, so nothing is pending here.
            synchronized (lags) {
                revoked.forEach(lags::remove);
            }
            revoked.forEach(metrics::forget);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            assigned.forEach(partition -> metrics.watchLag(partition, () -> {
                synchronized (lags) {
                    return lags.getOrDefault(partition, 0L);
                }
            }));
            if (resumeAt != null) {
                // Paused for storage: what was just assigned waits too.
                consumer.pause(assigned);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            onPartitionsRevoked(lost);
        }
    }

    private Properties consumerProperties() {
        Properties properties = clientProperties(ConsumerConfig.configNames());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.maxPollRecords()));
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }

    private Properties producerProperties() {
        Properties properties = clientProperties(ProducerConfig.configNames());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return properties;
    }

    /** The operator's client properties that a client with {@code names} knows (a consumer, a producer). */
    private Properties clientProperties(Set<String> names) {
        Properties properties = new Properties();
        settings.clientProperties().forEach((key, value) -> {
            if (names.contains(key)) {
                properties.put(key, value);
            }
        });
        return properties;
    }
}
