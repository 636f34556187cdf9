package dev.tally.application.memory;

import dev.tally.application.port.RateCells;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.rate.RateDecision;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The rate cells in memory (R90): a take locks its cell until the enclosing in-memory transaction
 * ends, as a row lock would, so that a give-back undoes it exactly and no other writer of the cell
 * decides in between.
 */
public final class InMemoryRateCells implements RateCells {

    private final InMemoryTransactions transactions;
    private final ConcurrentMap<Key, Cell> cells = new ConcurrentHashMap<>();

    public InMemoryRateCells(InMemoryTransactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public RateDecision take(UserId user, MetricKey metric, MetricRate rate, BigDecimal quantity, Instant now) {
        Cell cell = locked(user, metric);
        RateDecision decision = rate.decide(cell.tat(rate), now, quantity);
        if (decision instanceof RateDecision.Admitted admitted) {
            cell.tat = admitted.tat();
            cell.tatLimit = rate.limit();
        }
        return decision;
    }

    @Override
    public void giveBack(UserId user, MetricKey metric, MetricRate rate, BigDecimal quantity) {
        Cell cell = locked(user, metric);
        cell.tat = cell.tat(rate).orElse(BigInteger.ZERO).subtract(rate.cost(quantity));
        cell.tatLimit = rate.limit();
    }

    @Override
    public RateDecision.Standing standing(UserId user, MetricKey metric, MetricRate rate, Instant now) {
        Cell cell = cells.get(new Key(user, metric));
        if (cell == null) {
            return rate.standing(Optional.empty(), now);
        }
        cell.lock.lock();
        try {
            return rate.standing(cell.tat(rate), now);
        } finally {
            cell.lock.unlock();
        }
    }

    /** The cell, locked by this thread until its in-memory transaction ends. */
    private Cell locked(UserId user, MetricKey metric) {
        Cell cell = cells.computeIfAbsent(new Key(user, metric), k -> new Cell());
        if (!cell.lock.isHeldByCurrentThread()) {
            cell.lock.lock();
            transactions.whenEnded(cell.lock::unlock);
        }
        return cell;
    }

    private record Key(UserId user, MetricKey metric) {
    }

    private static final class Cell {
        final ReentrantLock lock = new ReentrantLock();
        BigInteger tat;
        long tatLimit;

        Optional<BigInteger> tat(MetricRate rate) {
            return tat == null ? Optional.empty() : Optional.of(rate.rescaled(tat, tatLimit));
        }
    }
}
