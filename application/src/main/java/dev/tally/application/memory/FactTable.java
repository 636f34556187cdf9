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
 * instance per distinct value. Rows are numbered in the order their keys were first stored and
 * never move or disappear. Not thread-safe: its ledger guards it with the user's lock.
 */
final class FactTable {

    /** A quantity whose unscaled value does not fit a long is kept in {@link #largeQuantities}. */
    private static final long LARGE = Long.MIN_VALUE;
    /** A fingerprint that is not 64 lower-case hex digits is kept in {@link #oddFingerprints}. */
    private static final int FINGERPRINT_LONGS = 4;
    /** Beyond this many distinct dimension maps, new ones are kept as they come instead of shared. */
    private static final int MAX_SHARED_DIMENSIONS = 4_096;

    private int size;
    private byte[] keyBytes = new byte[256];
    /** Where each row's key ends in {@link #keyBytes}; it starts where the previous row's ends. */
    private int[] keyEnds = new int[8];
    private long[] seconds = new long[8];
    private int[] nanos = new int[8];
    private long[] units = new long[8];
    private byte[] scales = new byte[8];
    private long[] fingerprints = new long[8 * FINGERPRINT_LONGS];
    private long[] sequences = new long[8];
    private MetricKey[] metrics = new MetricKey[8];
    private BillingPeriod[] periods = new BillingPeriod[8];
    private Map<?, ?>[] dimensions = new Map<?, ?>[8];
    /** Open addressing over the keys: row + 1, or 0 for an empty slot; at most half full. */
    private int[] slots = new int[16];

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
            int start = keyStart(row);
            if (Arrays.equals(keyBytes, start, keyEnds[row], bytes, 0, bytes.length)) {
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
        Instant at = record.occurredAt();
        seconds[row] = at.getEpochSecond();
        nanos[row] = at.getNano();
        BigDecimal quantity = record.quantity();
        largeQuantities.remove(row);
        if (quantity.unscaledValue().bitLength() < Long.SIZE - 1 && quantity.scale() >= 0
                && quantity.scale() <= Byte.MAX_VALUE) {
            units[row] = quantity.unscaledValue().longValue();
            scales[row] = (byte) quantity.scale();
        } else {
            units[row] = LARGE;
            largeQuantities.put(row, quantity);
        }
        putFingerprint(row, fingerprint);
        metrics[row] = sharedMetrics.computeIfAbsent(record.metric(), m -> m);
        periods[row] = shared(period);
        dimensions[row] = shared(record.dimensions());
        return row;
    }

    private int append(String key, long sequence) {
        if (size == keyEnds.length) {
            grow();
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int start = size == 0 ? 0 : keyEnds[size - 1];
        if (start + bytes.length > keyBytes.length) {
            keyBytes = Arrays.copyOf(keyBytes, Math.max(start + bytes.length, keyBytes.length + (keyBytes.length >> 1)));
        }
        System.arraycopy(bytes, 0, keyBytes, start, bytes.length);
        int row = size++;
        keyEnds[row] = start + bytes.length;
        sequences[row] = sequence;
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
        int slot = hash(keyBytes, keyStart(row), keyEnds[row]) & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = row + 1;
    }

    private void grow() {
        int capacity = keyEnds.length + (keyEnds.length >> 1);
        keyEnds = Arrays.copyOf(keyEnds, capacity);
        seconds = Arrays.copyOf(seconds, capacity);
        nanos = Arrays.copyOf(nanos, capacity);
        units = Arrays.copyOf(units, capacity);
        scales = Arrays.copyOf(scales, capacity);
        fingerprints = Arrays.copyOf(fingerprints, capacity * FINGERPRINT_LONGS);
        sequences = Arrays.copyOf(sequences, capacity);
        metrics = Arrays.copyOf(metrics, capacity);
        periods = Arrays.copyOf(periods, capacity);
        dimensions = Arrays.copyOf(dimensions, capacity);
    }

    private int keyStart(int row) {
        return row == 0 ? 0 : keyEnds[row - 1];
    }

    private static int hash(byte[] bytes, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + bytes[i];
        }
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
        if (fingerprint.length() == 16 * FINGERPRINT_LONGS && fingerprint.chars().allMatch(FactTable::lowerHex)) {
            for (int i = 0; i < FINGERPRINT_LONGS; i++) {
                fingerprints[row * FINGERPRINT_LONGS + i] =
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
        for (int i = 0; i < FINGERPRINT_LONGS; i++) {
            String part = Long.toHexString(fingerprints[row * FINGERPRINT_LONGS + i]);
            hex.append("0".repeat(16 - part.length())).append(part);
        }
        return hex.toString();
    }

    String key(int row) {
        int start = keyStart(row);
        return new String(keyBytes, start, keyEnds[row] - start, StandardCharsets.UTF_8);
    }

    Instant occurredAt(int row) {
        return Instant.ofEpochSecond(seconds[row], nanos[row]);
    }

    /** Whether the row occurred before {@code instant}, without building its instant. */
    boolean occurredBefore(int row, Instant instant) {
        return seconds[row] < instant.getEpochSecond()
                || (seconds[row] == instant.getEpochSecond() && nanos[row] < instant.getNano());
    }

    BigDecimal quantity(int row) {
        return units[row] == LARGE ? largeQuantities.get(row) : BigDecimal.valueOf(units[row], scales[row]);
    }

    MetricKey metric(int row) {
        return metrics[row];
    }

    BillingPeriod period(int row) {
        return periods[row];
    }

    /** Files the row in another period (a schedule change). */
    void period(int row, BillingPeriod period) {
        periods[row] = shared(period);
    }

    /** The order the row's key was first stored in, across users. */
    long sequence(int row) {
        return sequences[row];
    }

    @SuppressWarnings("unchecked")
    Map<String, String> dimensions(int row) {
        return (Map<String, String>) dimensions[row];
    }

    /** The row as the record {@code user} sent. */
    UsageRecord record(int row, UserId user) {
        return new UsageRecord(user, metric(row), quantity(row), occurredAt(row), new IdempotencyKey(key(row)),
                dimensions(row));
    }
}
