package dev.tally.adapter.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer's meters in {@code /metrics} (R95): records by outcome (their rate is records/s),
 * dead letters by HTTP status, the latency of a poll from its first write to its commit, whether
 * consumption is paused for storage (R66), and the lag of each partition this node holds. Labels
 * are the topic and partition (the operator's, bounded by the partition count) and statuses; never
 * a value a client chooses (R68).
 */
final class IngestMetrics {

    private final MeterRegistry registry;
    private final String topic;
    private final Counter counted;
    private final Counter duplicates;
    private final Timer batches;
    private final AtomicInteger paused = new AtomicInteger();
    private final Map<TopicPartition, Meter> lags = new ConcurrentHashMap<>();
    private final List<Meter> fixed = new ArrayList<>();

    IngestMetrics(MeterRegistry registry, String topic) {
        this.registry = registry;
        this.topic = topic;
        this.counted = Counter.builder("tally.kafka.records").tag("topic", topic).tag("outcome", "counted")
                .description("usage records consumed from Kafka, by outcome").register(registry);
        this.duplicates = Counter.builder("tally.kafka.records").tag("topic", topic).tag("outcome", "duplicate")
                .description("usage records consumed from Kafka, by outcome").register(registry);
        this.batches = Timer.builder("tally.kafka.batch").tag("topic", topic)
                .description("one poll's records written, dead-lettered and committed").register(registry);
        fixed.add(counted);
        fixed.add(duplicates);
        fixed.add(batches);
        fixed.add(Gauge.builder("tally.kafka.consumer.paused", paused, AtomicInteger::get).tag("topic", topic)
                .description("1 while consumption waits for storage to come back (R66)").register(registry));
    }

    void written(UsageBatches.Written written) {
        counted.increment(written.counted());
        duplicates.increment(written.duplicates());
        for (UsageBatches.DeadLetter letter : written.deadLetters()) {
            Counter.builder("tally.kafka.records").tag("topic", topic).tag("outcome", "dead_lettered")
                    .register(registry).increment();
            Counter.builder("tally.kafka.dead.letters").tag("topic", topic)
                    .tag("status", Integer.toString(letter.error().status()))
                    .description("records sent to the dead-letter topic, by the HTTP status of their error")
                    .register(registry).increment();
        }
    }

    /** One poll written, dead-lettered and committed, in {@code nanos}. */
    void committed(long nanos) {
        batches.record(nanos, TimeUnit.NANOSECONDS);
    }

    void paused(boolean waiting) {
        paused.set(waiting ? 1 : 0);
    }

    void watchLag(TopicPartition partition, Supplier<Number> lag) {
        lags.computeIfAbsent(partition, p -> Gauge.builder("tally.kafka.consumer.lag", lag)
                .tag("topic", p.topic()).tag("partition", Integer.toString(p.partition()))
                .description("records of the partition not yet consumed by this node").register(registry));
    }

    void forget(TopicPartition partition) {
        Meter meter = lags.remove(partition);
        if (meter != null) {
            registry.remove(meter);
        }
    }

    void close() {
        lags.keySet().forEach(this::forget);
        fixed.forEach(registry::remove);
    }
}
