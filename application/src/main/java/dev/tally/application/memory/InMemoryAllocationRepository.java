package dev.tally.application.memory;

import dev.tally.application.port.AllocationRepository;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Allocations in memory; each change is atomic under its user's lock (R13). */
public final class InMemoryAllocationRepository implements AllocationRepository {

    private final Map<UserId, Map<MetricKey, BigDecimal>> users = new ConcurrentHashMap<>();

    private Map<MetricKey, BigDecimal> of(UserId user) {
        return users.computeIfAbsent(user, u -> new TreeMap<>());
    }

    @Override
    public Change add(UserId user, MetricKey metric, BigDecimal delta, Limit limit) {
        Map<MetricKey, BigDecimal> values = of(user);
        synchronized (values) {
            BigDecimal value = values.getOrDefault(metric, BigDecimal.ZERO);
            BigDecimal next = value.add(delta);
            if (next.signum() < 0) {
                return new BelowZero(value);
            }
            if (delta.signum() > 0 && !limit.admission(delta).admits(value)) {
                return new OverLimit(value, limit.max().orElseThrow());
            }
            values.put(metric, next);
            return new Changed(value, next);
        }
    }

    @Override
    public Changed set(UserId user, MetricKey metric, BigDecimal value) {
        Map<MetricKey, BigDecimal> values = of(user);
        synchronized (values) {
            BigDecimal before = values.put(metric, value);
            return new Changed(before == null ? BigDecimal.ZERO : before, value);
        }
    }

    @Override
    public Map<MetricKey, BigDecimal> values(UserId user) {
        Map<MetricKey, BigDecimal> values = users.get(user);
        if (values == null) {
            return Map.of();
        }
        synchronized (values) {
            return Map.copyOf(values);
        }
    }

    @Override
    public BigDecimal value(UserId user, MetricKey metric) {
        Map<MetricKey, BigDecimal> values = users.get(user);
        if (values == null) {
            return BigDecimal.ZERO;
        }
        synchronized (values) {
            return values.getOrDefault(metric, BigDecimal.ZERO);
        }
    }
}
