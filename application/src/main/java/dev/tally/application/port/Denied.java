package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Admission;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.UsageTotals;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;

/**
 * A check-and-record refused by a limit; nothing was written (R13).
 *
 * @param current   used and reserved in {@code period} when the check ran
 * @param requested what the request would have added
 */
public record Denied(MetricKey metric, BillingPeriod period, UsageTotals current, BigDecimal requested,
                     BigDecimal limit) implements AppendResult, ReserveResult {

    /** The breach of {@code admission} where {@code current} is held; {@code admission} has a limit. */
    public static Denied of(MetricKey metric, BillingPeriod period, UsageTotals current, Admission admission) {
        return new Denied(metric, period, current, admission.requested(), admission.limit().orElseThrow());
    }

    /**
     * Of several breaches of one batch, the one every storage reports (R12): that of the first
     * record, in request order, at which its rollup's running total ({@code used + reserved}
     * plus the batch's records so far) passes the limit.
     *
     * @param records the batch's new records, in request order
     * @param denials at least one breach, each of a rollup the records add to
     */
    public static Denied firstOffending(List<PeriodRecord> records, Collection<Denied> denials) {
        return first(denials, denied -> denied.offendingIndex(records));
    }

    /** Of several breaches, the one whose offending record, by {@code offendingIndex}, comes first. */
    static Denied first(Collection<Denied> denials, java.util.function.ToIntFunction<Denied> offendingIndex) {
        Denied first = null;
        int firstIndex = Integer.MAX_VALUE;
        for (Denied denied : denials) {
            int index = offendingIndex.applyAsInt(denied);
            if (first == null || index < firstIndex) {
                first = denied;
                firstIndex = index;
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("no denial to choose from");
        }
        return first;
    }

    int offendingIndex(List<PeriodRecord> records) {
        Limit max = Limit.of(limit);
        BigDecimal requestedSoFar = BigDecimal.ZERO;
        for (int i = 0; i < records.size(); i++) {
            PeriodRecord entry = records.get(i);
            if (entry.record().metric().equals(metric) && entry.period().equals(period)) {
                requestedSoFar = requestedSoFar.add(entry.record().quantity());
                if (!max.admission(requestedSoFar).admits(current.used(), current.reserved())) {
                    return i;
                }
            }
        }
        return records.size();
    }
}
