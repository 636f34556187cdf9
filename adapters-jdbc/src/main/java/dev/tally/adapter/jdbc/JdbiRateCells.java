package dev.tally.adapter.jdbc;

import dev.tally.application.port.RateCells;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.rate.RateDecision;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link RateCells} in a table: each decision is one conditional {@code UPDATE} that moves the TAT
 * only where the rate admits the quantity, so two nodes deciding at once are ordered by the row
 * lock and neither reads a value the other is about to change (R90). The cell is created by an
 * insert that does nothing when it exists; a refusal reads the cell once for its wait, locking it.
 */
public final class JdbiRateCells implements RateCells {

    /** Rounds of the statement a refusal tries when the cell it then reads admits (a concurrent give-back). */
    private static final int ROUNDS = 3;

    private final Db db;

    JdbiRateCells(Db db) {
        this.db = db;
    }

    @Override
    public RateDecision take(UserId user, MetricKey metric, MetricRate rate, BigDecimal quantity, Instant now) {
        String u = user.value();
        String m = metric.value();
        BigInteger nowTicks = rate.ticks(now);
        BigDecimal cost = new BigDecimal(rate.cost(quantity));
        BigDecimal latest = new BigDecimal(nowTicks.add(rate.tolerance()));
        return db.inTransaction(handle -> {
            RateCellDao dao = Db.attach(handle, RateCellDao.class);
            for (int round = 0; round < ROUNDS; round++) {
                Optional<BigDecimal> taken = dao.take(u, m, rate.limit(), new BigDecimal(nowTicks), cost, latest);
                if (taken.isPresent()) {
                    return admitted(rate, taken.get().toBigIntegerExact(), now);
                }
                if (dao.create(u, m, rate.limit()) == 1) {
                    continue;
                }
                RateDecision read = rate.decide(dao.lock(u, m).map(cell -> rate.rescaled(cell.tat().toBigIntegerExact(),
                        cell.tatLimit())), now, quantity);
                if (read instanceof RateDecision.Refused refused) {
                    return refused;
                }
            }
            // Cells given back under this statement's feet every round: refused, to be retried at once.
            return new RateDecision.Refused(rate, Optional.of(1L), 0);
        });
    }

    /** The admission whose new TAT the statement returned, with the figures the headers show. */
    private static RateDecision admitted(MetricRate rate, BigInteger tat, Instant now) {
        RateDecision.Standing after = rate.standing(Optional.of(tat), now);
        return new RateDecision.Admitted(rate, tat, after.remaining(), after.resetNanos());
    }

    @Override
    public void giveBack(UserId user, MetricKey metric, MetricRate rate, BigDecimal quantity) {
        db.inTransaction(handle -> Db.attach(handle, RateCellDao.class).giveBack(user.value(), metric.value(),
                rate.limit(), new BigDecimal(rate.cost(quantity))));
    }

    @Override
    public RateDecision.Standing standing(UserId user, MetricKey metric, MetricRate rate, Instant now) {
        return rate.standing(db.read(handle -> stored(Db.attach(handle, RateCellDao.class), user.value(),
                metric.value(), rate)), now);
    }

    private static Optional<BigInteger> stored(RateCellDao dao, String user, String metric, MetricRate rate) {
        return dao.find(user, metric).map(cell -> rate.rescaled(cell.tat().toBigIntegerExact(), cell.tatLimit()));
    }
}
