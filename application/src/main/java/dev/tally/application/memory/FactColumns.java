package dev.tally.application.memory;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The usage facts of one user, kept column by column in arrays rather than as one object graph
 * per fact, so that a million facts cost a fraction of the heap and the collector has few objects
 * to trace: the idempotency keys as UTF-8 in one byte array with an open-addressing index, the
 * instant as seconds and nanoseconds, the quantity as an unscaled long and a scale, the
 * fingerprint as four longs, and the metric, period and dimensions as references to one shared
 * instance per distinct value. The columns are cut into chunks of {@value #CHUNK} rows, so that
 * growing never copies what is stored and no column becomes one huge array the collector must
 * treat apart. Rows are numbered in the order their keys were first stored and never move or
 * disappear. Not thread-safe: its ledger guards it with the user's lock.
 */
final class FactColumns {

    /** A quantity whose unscaled value does not fit a long is kept in {@link #largeQuantities}. */
    private static final long LARGE = Long.MIN_VALUE;
    /** A fingerprint that is not 64 lower-case hex digits is kept in {@link #oddFingerprints}. */
    private static final int FINGERPRINT_LONGS = 4;
    /** Beyond this many distinct dimension maps, new ones are kept as they come instead of shared. */
    private static final int MAX_SHARED_DIMENSIONS = 4_096;
    /** Rows per chunk: a power of two. */
    static final int CHUNK = 4_096;
    private static final int SHIFT = Integer.numberOfTrailingZeros(CHUNK);
    private static final int MASK = CHUNK - 1;

    private int size;
    private Chunk[] chunks = new Chunk[4];
    /** Open addressing over the keys: row + 1, or 0 for an empty slot; at most half full. */
    private int[] slots = new int[16];

    /** The columns of {@link #CHUNK} consecutive rows (fewer in the first chunk until it fills). */
    private static final class Chunk {
        byte[] keyBytes;
        /** Where each row's key ends in {@link #keyBytes}; it starts where the previous row's ends. */
        int[] keyEnds;
        long[] seconds;
        int[] nanos;
        long[] units;
        byte[] scales;
        long[] fingerprints;
        long[] sequences;
        MetricKey[] metrics;
        BillingPeriod[] periods;
        Map<?, ?>[] dimensions;

        Chunk(int rows) {
            keyBytes = new byte[rows * 16];
            resize(rows);
        }

        /** Room for {@code rows}; only the first chunk grows, up to {@link #CHUNK}. */
        void resize(int rows) {
            keyEnds = keyEnds == null ? new int[rows] : Arrays.copyOf(keyEnds, rows);
            seconds = seconds == null ? new long[rows] : Arrays.copyOf(seconds, rows);
            nanos = nanos == null ? new int[rows] : Arrays.copyOf(nanos, rows);
            units = units == null ? new long[rows] : Arrays.copyOf(units, rows);
            scales = scales == null ? new byte[rows] : Arrays.copyOf(scales, rows);
            fingerprints = fingerprints == null ? new long[rows * FINGERPRINT_LONGS]
                    : Arrays.copyOf(fingerprints, rows * FINGERPRINT_LONGS);
            sequences = sequences == null ? new long[rows] : Arrays.copyOf(sequences, rows);
            metrics = metrics == null ? new MetricKey[rows] : Arrays.copyOf(metrics, rows);
            periods = periods == null ? new BillingPeriod[rows] : Arrays.copyOf(periods, rows);
            dimensions = dimensions == null ? new Map<?, ?>[rows] : Arrays.copyOf(dimensions, rows);
        }

        int keyStart(int at) {
            return at == 0 ? 0 : keyEnds[at - 1];
        }
    }

    private Chunk chunk(int row) {
        return chunks[row >>> SHIFT];
    }

    private final Map<Integer, BigDecimal> largeQuantities = new HashMap<>();
    private final Map<Integer, String> oddFingerprints = new HashMap<>();
    private final Map<MetricKey, MetricKey> sharedMetrics = new HashMap<>();
    private final Map<BillingPeriod, BillingPeriod> sharedPeriods = new HashMap<>();
    private final Map<Map<String, String>, Map<String, String>> sharedDimensions = new HashMap<>();

    /** How many rows there are. */
    int size() {
        return size;
    }

    /** The row of {@code key}, or -1. */
    int find(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int mask = slots.length - 1;
        for (int slot = hash(bytes, 0, bytes.length) & mask; ; slot = (slot + 1) & mask) {
            int row = slots[slot] - 1;
            if (row < 0) {
                return -1;
            }
            Chunk chunk = chunk(row);
            int at = row & MASK;
            if (Arrays.equals(chunk.keyBytes, chunk.keyStart(at), chunk.keyEnds[at], bytes, 0, bytes.length)) {
                return row;
            }
        }
    }

    /**
     * Stores a fact: in a new row with {@code sequence}, or over the row already holding its key,
     * which keeps its place and its sequence. Answers the row.
     */
    int put(UsageRecord record, String fingerprint, BillingPeriod period, long sequence) {
        int row = find(record.idempotencyKey().value());
        if (row < 0) {
            row = append(record.idempotencyKey().value(), sequence);
        }
        Chunk chunk = chunk(row);
        int at = row & MASK;
        Instant occurred = record.occurredAt();
        chunk.seconds[at] = occurred.getEpochSecond();
        chunk.nanos[at] = occurred.getNano();
        BigDecimal quantity = record.quantity();
        largeQuantities.remove(row);
        if (quantity.unscaledValue().bitLength() < Long.SIZE - 1 && quantity.scale() >= 0
                && quantity.scale() <= Byte.MAX_VALUE) {
            chunk.units[at] = quantity.unscaledValue().longValue();
            chunk.scales[at] = (byte) quantity.scale();
        } else {
            chunk.units[at] = LARGE;
            largeQuantities.put(row, quantity);
        }
        putFingerprint(row, fingerprint);
        chunk.metrics[at] = sharedMetrics.computeIfAbsent(record.metric(), m -> m);
        chunk.periods[at] = shared(period);
        chunk.dimensions[at] = shared(record.dimensions());
        return row;
    }

    private int append(String key, long sequence) {
        int row = size;
        Chunk chunk = room(row);
        int at = row & MASK;
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int start = chunk.keyStart(at);
        if (start + bytes.length > chunk.keyBytes.length) {
            chunk.keyBytes = Arrays.copyOf(chunk.keyBytes,
                    Math.max(start + bytes.length, chunk.keyBytes.length + (chunk.keyBytes.length >> 1)));
        }
        System.arraycopy(bytes, 0, chunk.keyBytes, start, bytes.length);
        size++;
        chunk.keyEnds[at] = start + bytes.length;
        chunk.sequences[at] = sequence;
        if (size * 2 > slots.length) {
            slots = new int[slots.length * 2];
            for (int r = 0; r < size; r++) {
                index(r);
            }
        } else {
            index(row);
        }
        return row;
    }

    private void index(int row) {
        int mask = slots.length - 1;
        Chunk chunk = chunk(row);
        int at = row & MASK;
        int slot = hash(chunk.keyBytes, chunk.keyStart(at), chunk.keyEnds[at]) & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = row + 1;
    }

    /**
     * The chunk that will hold {@code row}, made or grown as needed: the first chunk starts small
     * (most users have few facts) and grows to a whole chunk; later ones are whole at once.
     */
    private Chunk room(int row) {
        int index = row >>> SHIFT;
        if (index == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunks.length * 2);
        }
        Chunk chunk = chunks[index];
        if (chunk == null) {
            chunk = new Chunk(index == 0 ? 8 : CHUNK);
            chunks[index] = chunk;
        } else if ((row & MASK) == chunk.keyEnds.length) {
            chunk.resize(Math.min(CHUNK, chunk.keyEnds.length * 2));
        }
        return chunk;
    }

    private static int hash(byte[] bytes, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + bytes[i];
        }
        // MurmurHash3's finalizer: keys that differ in one character land far apart.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private BillingPeriod shared(BillingPeriod period) {
        return sharedPeriods.computeIfAbsent(period, p -> p);
    }

    private Map<String, String> shared(Map<String, String> given) {
        if (given.isEmpty()) {
            return Map.of();
        }
        Map<String, String> kept = sharedDimensions.get(given);
        if (kept != null) {
            return kept;
        }
        if (sharedDimensions.size() < MAX_SHARED_DIMENSIONS) {
            sharedDimensions.put(given, given);
        }
        return given;
    }

    private void putFingerprint(int row, String fingerprint) {
        oddFingerprints.remove(row);
        if (fingerprint.length() == 16 * FINGERPRINT_LONGS && fingerprint.chars().allMatch(FactColumns::lowerHex)) {
            long[] fingerprints = chunk(row).fingerprints;
            int at = (row & MASK) * FINGERPRINT_LONGS;
            for (int i = 0; i < FINGERPRINT_LONGS; i++) {
                fingerprints[at + i] =
                        Long.parseUnsignedLong(fingerprint, i * 16, (i + 1) * 16, 16);
            }
        } else {
            oddFingerprints.put(row, fingerprint);
        }
    }

    private static boolean lowerHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    /** The fingerprint stored with the row, as it was given. */
    String fingerprint(int row) {
        String odd = oddFingerprints.get(row);
        if (odd != null) {
            return odd;
        }
        StringBuilder hex = new StringBuilder(16 * FINGERPRINT_LONGS);
        long[] fingerprints = chunk(row).fingerprints;
        int at = (row & MASK) * FINGERPRINT_LONGS;
        for (int i = 0; i < FINGERPRINT_LONGS; i++) {
            String part = Long.toHexString(fingerprints[at + i]);
            hex.append("0".repeat(16 - part.length())).append(part);
        }
        return hex.toString();
    }

    String key(int row) {
        Chunk chunk = chunk(row);
        int at = row & MASK;
        int start = chunk.keyStart(at);
        return new String(chunk.keyBytes, start, chunk.keyEnds[at] - start, StandardCharsets.UTF_8);
    }

    Instant occurredAt(int row) {
        Chunk chunk = chunk(row);
        return Instant.ofEpochSecond(chunk.seconds[row & MASK], chunk.nanos[row & MASK]);
    }

    /** Whether the row occurred before {@code instant}, without building its instant. */
    boolean occurredBefore(int row, Instant instant) {
        Chunk chunk = chunk(row);
        long seconds = chunk.seconds[row & MASK];
        return seconds < instant.getEpochSecond()
                || (seconds == instant.getEpochSecond() && chunk.nanos[row & MASK] < instant.getNano());
    }

    BigDecimal quantity(int row) {
        Chunk chunk = chunk(row);
        long units = chunk.units[row & MASK];
        return units == LARGE ? largeQuantities.get(row) : BigDecimal.valueOf(units, chunk.scales[row & MASK]);
    }

    MetricKey metric(int row) {
        return chunk(row).metrics[row & MASK];
    }

    BillingPeriod period(int row) {
        return chunk(row).periods[row & MASK];
    }

    /** Files the row in another period (a schedule change). */
    void period(int row, BillingPeriod period) {
        chunk(row).periods[row & MASK] = shared(period);
    }

    /** The order the row's key was first stored in, across users. */
    long sequence(int row) {
        return chunk(row).sequences[row & MASK];
    }

    @SuppressWarnings("unchecked")
    Map<String, String> dimensions(int row) {
        return (Map<String, String>) chunk(row).dimensions[row & MASK];
    }

    /** The row as the record {@code user} sent. */
    UsageRecord record(int row, UserId user) {
        return new UsageRecord(user, metric(row), quantity(row), occurredAt(row), new IdempotencyKey(key(row)),
                dimensions(row));
    }
}
