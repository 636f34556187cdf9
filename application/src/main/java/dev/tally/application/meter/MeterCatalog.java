package dev.tally.application.meter;

import dev.tally.application.port.MeterStore;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.plan.MetricKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The meters each source metric feeds (R81), kept until the store's meters change: every write
 * reads one number ({@link MeterStore#metersVersion}) and, while it stays the same, nothing more,
 * so a record of a metric no meter reads costs what it cost before meters existed.
 */
public final class MeterCatalog {

    private final MeterStore store;
    private volatile Snapshot snapshot = new Snapshot(Long.MIN_VALUE, Map.of(), Map.of());

    /** The meters of {@code store}. */
    public MeterCatalog(MeterStore store) {
        this.store = store;
    }

    /** The meters as they are now. */
    public Snapshot current() {
        long version = store.metersVersion();
        Snapshot seen = snapshot;
        if (seen.version == version) {
            return seen;
        }
        List<Meter> meters = store.meters();
        Map<MetricKey, List<Meter>> bySource = new HashMap<>();
        Map<MetricKey, Meter> byKey = new HashMap<>();
        meters.forEach(meter -> {
            bySource.computeIfAbsent(meter.source(), s -> new java.util.ArrayList<>()).add(meter);
            byKey.put(meter.key(), meter);
        });
        Snapshot fresh = new Snapshot(version, Map.copyOf(bySource), Map.copyOf(byKey));
        snapshot = fresh;
        return fresh;
    }

    /** The meters of one version of the store. */
    public record Snapshot(long version, Map<MetricKey, List<Meter>> bySource, Map<MetricKey, Meter> byKey) {

        /** The meters that records of {@code sources} may feed. */
        public List<Meter> readingAny(Set<MetricKey> sources) {
            if (bySource.isEmpty()) {
                return List.of();
            }
            return sources.stream().flatMap(source -> bySource.getOrDefault(source, List.of()).stream()).toList();
        }

        /** Whether {@code metric} is a meter's key. */
        public boolean isMeter(MetricKey metric) {
            return byKey.containsKey(metric);
        }
    }
}
