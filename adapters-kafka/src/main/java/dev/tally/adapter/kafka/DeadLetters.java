package dev.tally.adapter.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter topic: a record that cannot be counted goes there as it came (its key, value and
 * headers unchanged, so that it can be fixed and sent again), with headers that say why and where
 * it came from: {@value #ERROR} (the error body an HTTP client would get, R12, R64),
 * {@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION} and {@value #SOURCE_OFFSET}.
 */
final class DeadLetters implements AutoCloseable {

    static final String ERROR = "tally.error";
    static final String SOURCE_TOPIC = "tally.source.topic";
    static final String SOURCE_PARTITION = "tally.source.partition";
    static final String SOURCE_OFFSET = "tally.source.offset";

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    DeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * Sends {@code letters} and returns once the topic has them all.
     *
     * @throws KafkaException when one could not be sent; the caller commits nothing and tries again
     */
    void send(List<UsageBatches.DeadLetter> letters) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(letters.size());
        for (UsageBatches.DeadLetter letter : letters) {
            ConsumerRecord<byte[], byte[]> source = letter.source();
            RecordHeaders headers = new RecordHeaders();
            for (Header header : source.headers()) {
                headers.add(header);
            }
            headers.add(ERROR, letter.error().json().getBytes(StandardCharsets.UTF_8));
            headers.add(SOURCE_TOPIC, source.topic().getBytes(StandardCharsets.UTF_8));
            headers.add(SOURCE_PARTITION, Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add(SOURCE_OFFSET, Long.toString(source.offset()).getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(new ProducerRecord<>(topic, null, source.key(), source.value(), headers)));
        }
        for (Future<RecordMetadata> future : sent) {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw new KafkaException("a dead letter could not be sent to " + topic, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while sending dead letters to " + topic, e);
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
