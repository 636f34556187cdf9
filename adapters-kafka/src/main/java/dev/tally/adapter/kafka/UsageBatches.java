package dev.tally.adapter.kafka;

import dev.tally.adapter.http.ErrorBody;
import dev.tally.adapter.http.UsageMessage;
import dev.tally.application.port.StorageUnavailableException;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.UsageRecorded;
import dev.tally.application.usage.UsageService;
import dev.tally.application.usecase.Outcome;
import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one poll's records through the usage use case, the one {@code POST /v1/users/{id}/usage}
 * calls (R20–R22, R13): each user's records in batches of up to {@link RecordUsage#MAX_BATCH}, so
 * that a poll costs a few transactions rather than one per record, and different users' batches
 * on several threads at once (one user's in order, on one thread). A batch the use case refuses
 * as a whole (one record too late, a key reused, a limit) is written again record by record, so
 * that only the records at fault are dead-lettered and every other one counts. Storage being
 * unavailable is thrown on: the caller writes the poll again later, and what was written already
 * is found by its idempotency keys.
 */
final class UsageBatches {

    private static final Logger LOG = LoggerFactory.getLogger(UsageBatches.class);

    private final UsageService usage;
    private final ExecutorService writers;

    UsageBatches(UsageService usage, ExecutorService writers) {
        this.usage = usage;
        this.writers = writers;
    }

    /** A record that cannot be counted, with what an HTTP client would have been answered. */
    record DeadLetter(ConsumerRecord<byte[], byte[]> source, ErrorBody error) {
    }

    /** What a poll did: records counted now, records found already counted, and those refused. */
    record Written(int counted, int duplicates, List<DeadLetter> deadLetters) {
    }

    private record Pending(ConsumerRecord<byte[], byte[]> source, UsageMessage.Parsed message) {
    }

    private record Target(UserId user, boolean enforce) {
    }

    /**
     * Writes {@code records}, in their order within each user.
     *
     * @throws StorageUnavailableException when storage is unavailable; part of the poll may be written
     */
    Written write(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        List<DeadLetter> dead = new ArrayList<>();
        Map<Target, List<List<Pending>>> batches = new LinkedHashMap<>();
        Map<Target, Set<String>> keysInLastBatch = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            UsageMessage.Parsed message;
            try {
                message = UsageMessage.parse(record.value() == null ? new byte[0] : record.value(), defaultKey(record));
            } catch (UsageMessage.Rejected rejected) {
                dead.add(new DeadLetter(record, rejected.error()));
                continue;
            }
            Target target = new Target(message.user(), message.enforce());
            List<List<Pending>> userBatches = batches.computeIfAbsent(target, t -> new ArrayList<>());
            Set<String> keys = keysInLastBatch.computeIfAbsent(target, t -> new HashSet<>());
            String key = message.item().idempotencyKey().value();
            // A key sent twice (a producer's retry) goes to a later batch, where it is found a duplicate.
            if (userBatches.isEmpty() || userBatches.get(userBatches.size() - 1).size() >= RecordUsage.MAX_BATCH
                    || keys.contains(key)) {
                userBatches.add(new ArrayList<>());
                keys.clear();
            }
            userBatches.get(userBatches.size() - 1).add(new Pending(record, message));
            keys.add(key);
        }
        AtomicInteger[] counts = {new AtomicInteger(), new AtomicInteger()};
        List<DeadLetter> refused = Collections.synchronizedList(dead);
        List<Future<?>> writing = new ArrayList<>();
        batches.forEach((target, userBatches) -> writing.add(writers.submit(() ->
                userBatches.forEach(batch -> write(target, batch, counts, refused)))));
        // Every write is waited for, so that none is still under way when the poll is read again.
        StorageUnavailableException unavailable = null;
        for (Future<?> future : writing) {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StorageUnavailableException storage) {
                    unavailable = storage;
                } else {
                    throw new IllegalStateException("a usage write failed unexpectedly", e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageUnavailableException("interrupted while writing usage from Kafka", e);
            }
        }
        if (unavailable != null) {
            throw unavailable;
        }
        return new Written(counts[0].get(), counts[1].get(), dead);
    }

    private void write(Target target, List<Pending> batch, AtomicInteger[] counts, List<DeadLetter> dead) {
        List<UsageItem> items = batch.stream().map(pending -> pending.message().item()).toList();
        ErrorBody error;
        try {
            Outcome<UsageRecorded> outcome = usage.record(new RecordUsage(target.user(), items, target.enforce()));
            if (outcome instanceof Outcome.Done<UsageRecorded> done) {
                counts[0].addAndGet(done.value().accepted());
                counts[1].addAndGet(done.value().duplicates());
                return;
            }
            error = ErrorBody.of(((Outcome.Refused<UsageRecorded>) outcome).refusal());
        } catch (StorageUnavailableException e) {
            throw e;
        } catch (DomainException e) {
            error = ErrorBody.of(e);
        } catch (RuntimeException e) {
            String errorId = UUID.randomUUID().toString();
            LOG.error("internal error {} writing {} usage records from Kafka", errorId, batch.size(), e);
            error = ErrorBody.internalError(errorId);
        }
        if (batch.size() == 1) {
            dead.add(new DeadLetter(batch.get(0).source(), error));
            return;
        }
        // Refused as a whole: each record on its own, so that only those at fault are refused.
        for (Pending pending : batch) {
            write(target, List.of(pending), counts, dead);
        }
    }

    /**
     * The idempotency key of a message that names none: its place on the log, so that a replay of
     * the log is the same record. The message's Kafka key is not its identity: producers key by
     * user or account to keep a user's records in one partition, and taking that key as the
     * record's would make every record of a user after the first a duplicate, dropped silently.
     */
    static String defaultKey(ConsumerRecord<byte[], byte[]> record) {
        return "kafka:" + record.topic() + "/" + record.partition() + "/" + record.offset();
    }
}
