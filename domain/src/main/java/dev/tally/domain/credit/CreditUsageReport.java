package dev.tally.domain.credit;

import dev.tally.domain.period.BillingPeriod;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Credits by operation for one period, with the total (R33). The net figures reconcile with the
 * balance: summed over all periods, net equals the balance change caused by usage and refunds.
 */
public record CreditUsageReport(BillingPeriod period, List<OperationUsage> operations, OperationUsage total) {

    public CreditUsageReport {
        Objects.requireNonNull(period, "period");
        operations = List.copyOf(operations);
        Objects.requireNonNull(total, "total");
    }

    /** A report of these per-operation figures, sorted by net descending then name, and their total. */
    public static CreditUsageReport of(BillingPeriod period, Collection<OperationUsage> operations) {
        long gross = 0;
        long refunded = 0;
        for (OperationUsage usage : operations) {
            gross += usage.gross();
            refunded += usage.refunded();
        }
        List<OperationUsage> sorted = operations.stream()
                .sorted(Comparator.comparingLong(OperationUsage::net).reversed().thenComparing(OperationUsage::operation))
                .toList();
        return new CreditUsageReport(period, sorted, OperationUsage.of("total", gross, refunded));
    }

    /**
     * Computes the report from ledger entries: usage entries created in the period, and every
     * refund of those entries whenever it was made.
     */
    public static CreditUsageReport fromLedger(BillingPeriod period, Collection<CreditTransaction> ledger) {
        Map<String, CreditTransaction> usageInPeriod = new HashMap<>();
        for (CreditTransaction entry : ledger) {
            if (entry.type() == CreditType.USAGE && period.contains(entry.createdAt())) {
                usageInPeriod.put(entry.id(), entry);
            }
        }
        Map<String, long[]> byOperation = new TreeMap<>();
        usageInPeriod.values().forEach(usage ->
                byOperation.computeIfAbsent(usage.operation().orElseThrow(), op -> new long[2])[0] += usage.spent());
        for (CreditTransaction entry : ledger) {
            if (entry.type() == CreditType.REFUND) {
                CreditTransaction usage = usageInPeriod.get(entry.refundOf().orElseThrow());
                if (usage != null) {
                    byOperation.get(usage.operation().orElseThrow())[1] += entry.amount();
                }
            }
        }
        return of(period, byOperation.entrySet().stream()
                .map(e -> OperationUsage.of(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList());
    }
}
