package dev.tally.application.port;

import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What a reconcile found (R10).
 *
 * @param checked  rollups compared (including rollups the facts imply but that were missing)
 * @param drifts   every rollup whose stored values differ from the recomputed ones
 * @param repaired whether the drifts were overwritten
 */
public record ReconcileReport(long checked, List<Drift> drifts, boolean repaired) {

    public ReconcileReport {
        drifts = List.copyOf(drifts);
    }

    /** One rollup that disagrees with its facts. */
    public record Drift(UserId user, MetricKey metric, Instant periodStart, BigDecimal storedUsed,
                        BigDecimal factUsed, BigDecimal storedReserved, BigDecimal openReserved) {
    }
}
