package dev.tally.adapter.jdbc;

import dev.tally.application.port.AllocationRepository;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Allocations in SQL (R72). A change is one conditional {@code UPDATE} of the (user, metric) row:
 * the row lock serialises writers on one node or many, and under READ COMMITTED a waiting writer
 * re-checks the condition against the committed row, so no increase passes the limit and none is
 * refused while there is room (R13).
 */
public final class JdbiAllocationRepository implements AllocationRepository {

    private final Db db;

    JdbiAllocationRepository(Db db) {
        this.db = db;
    }

    @Override
    public Change add(UserId user, MetricKey metric, BigDecimal delta, Limit limit) {
        String u = user.value();
        String m = metric.value();
        return db.inTransaction(handle -> {
            AllocationDao dao = Db.attach(handle, AllocationDao.class);
            // Only an increase is held to the limit.
            Optional<BigDecimal> ceiling = delta.signum() > 0 ? limit.admission(delta).ceiling() : Optional.empty();
            // The write returns the new value; the row lock it took keeps every other change out
            // until this transaction ends, so the value before was the new one less delta.
            Optional<BigDecimal> written = ceiling.isPresent() ? dao.addWithin(u, m, delta, ceiling.get())
                    : dao.add(u, m, delta);
            if (written.isPresent()) {
                BigDecimal value = Decimals.plain(written.get());
                return new Changed(Decimals.plain(value.subtract(delta)), value);
            }
            // No row yet, or no room: create the row if it is missing, lock it, and decide against
            // the value it holds, which no other writer can change until this transaction ends.
            BigDecimal value = locked(dao, u, m);
            BigDecimal next = value.add(delta);
            if (next.signum() < 0) {
                return new BelowZero(value);
            }
            if (ceiling.isPresent() && !limit.admission(delta).admits(value)) {
                return new OverLimit(value, limit.max().orElseThrow());
            }
            dao.set(u, m, next);
            return new Changed(value, next);
        });
    }

    @Override
    public Changed set(UserId user, MetricKey metric, BigDecimal value) {
        return db.inTransaction(handle -> {
            AllocationDao dao = Db.attach(handle, AllocationDao.class);
            BigDecimal before = locked(dao, user.value(), metric.value());
            dao.set(user.value(), metric.value(), value);
            return new Changed(before, value);
        });
    }

    /** The row's value, the row created when missing and locked until the transaction ends. */
    private static BigDecimal locked(AllocationDao dao, String user, String metric) {
        dao.ensure(user, metric);
        return Decimals.plain(dao.lock(user, metric));
    }

    @Override
    public Map<MetricKey, BigDecimal> values(UserId user) {
        Map<MetricKey, BigDecimal> values = new TreeMap<>();
        db.read(handle -> Db.attach(handle, AllocationDao.class).all(user.value()))
                .forEach(row -> values.put(new MetricKey(row.metric()), row.value()));
        return values;
    }

    @Override
    public BigDecimal value(UserId user, MetricKey metric) {
        return db.read(handle -> Db.attach(handle, AllocationDao.class).find(user.value(), metric.value()))
                .map(AllocationDao.ValueRow::value)
                .orElse(BigDecimal.ZERO);
    }
}
