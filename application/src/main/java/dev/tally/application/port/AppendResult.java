package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import java.math.BigDecimal;
import java.util.List;

/** What {@link UsageFacts#append} did: everything, or nothing and why. */
public sealed interface AppendResult permits AppendResult.Appended, AppendResult.KeyReused, Denied, MetricsFull {

    /**
     * Every new record was stored and counted.
     *
     * @param accepted   records stored now
     * @param duplicates records whose key was already stored with the same payload: not counted again
     * @param raised     the rollups of watched metrics that this append raised, with their new used
     * @param stored     the keys of the records stored now, in request order: what a write of them
     *                   spends credits for (R38), while a duplicate spends nothing again (R20). It
     *                   follows from the request and the counts, so two answers with the same counts
     *                   and rollups are equal whether or not they name their keys.
     */
    record Appended(int accepted, int duplicates, List<Raised> raised, List<IdempotencyKey> stored)
            implements AppendResult {

        public Appended {
            raised = List.copyOf(raised);
            stored = List.copyOf(stored);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Appended that && accepted == that.accepted && duplicates == that.duplicates
                    && raised.equals(that.raised);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(accepted, duplicates, raised);
        }

        /** Appended, naming no stored key. */
        public Appended(int accepted, int duplicates, List<Raised> raised) {
            this(accepted, duplicates, raised, List.of());
        }

        /** Appended, reporting no rollup. */
        public Appended(int accepted, int duplicates) {
            this(accepted, duplicates, List.of());
        }
    }

    /**
     * A rollup an append raised by {@code added}, to {@code usedAfter}, read in the same atomic
     * write: {@code usedAfter - added} is what it held just before (R75).
     */
    record Raised(MetricKey metric, BillingPeriod period, BigDecimal added, BigDecimal usedAfter) {

        public BigDecimal usedBefore() {
            return usedAfter.subtract(added);
        }
    }

    /** A record's key was already stored with a different payload; nothing was stored (R20). */
    record KeyReused(IdempotencyKey key) implements AppendResult {
    }
}
