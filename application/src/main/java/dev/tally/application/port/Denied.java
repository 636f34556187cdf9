package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
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

    /**
     * Of several breaches of one batch, the one every storage reports (R12): that of the first
     * record, in request order, at which its rollup's running total ({@code used + reserved}
     * plus the batch's records so far) passes the limit.
     *
     * @param records the batch's new records, in request order
     * @param denials at least one breach, each of a rollup the records add to
     */
    public static Denied firstOffending(List<PeriodRecord> records, Collection<Denied> denials) {
        Denied first = null;
        int firstIndex = Integer.MAX_VALUE;
        for (Denied denied : denials) {
            int index = denied.offendingIndex(records);
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

    private int offendingIndex(List<PeriodRecord> records) {
        BigDecimal total = current.used().add(current.reserved());
        for (int i = 0; i < records.size(); i++) {
            PeriodRecord entry = records.get(i);
            if (entry.record().metric().equals(metric) && entry.period().equals(period)) {
                total = total.add(entry.record().quantity());
                if (total.compareTo(limit) > 0) {
                    return i;
                }
            }
        }
        return records.size();
    }
}
