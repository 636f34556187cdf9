package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * When a plan's users are told about their usage (R75): the percentages of every limit at which a
 * {@code usage.threshold_reached} event is created, and the credit balance at or below which a
 * {@code credits.balance_low} event is.
 *
 * @param thresholdsPercent distinct, ascending, each 1–1000 (at most 10)
 */
public record PlanAlerts(List<Integer> thresholdsPercent, Optional<Long> lowBalanceCredits) {

    /** 80 % and 100 % of every limit, no low-balance alert. */
    public static final PlanAlerts DEFAULT = new PlanAlerts(List.of(80, 100), Optional.empty());

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public PlanAlerts {
        Objects.requireNonNull(thresholdsPercent, "thresholdsPercent");
        Objects.requireNonNull(lowBalanceCredits, "lowBalanceCredits");
        if (thresholdsPercent.size() > 10) {
            throw DomainException.invalid("invalid_plan", "alert_thresholds_percent takes at most 10 thresholds");
        }
        for (Integer threshold : thresholdsPercent) {
            if (threshold == null || threshold < 1 || threshold > 1000) {
                throw DomainException.invalid("invalid_plan", "alert_thresholds_percent must be numbers 1-1000");
            }
        }
        thresholdsPercent = List.copyOf(new TreeSet<>(thresholdsPercent));
        if (lowBalanceCredits.filter(credits -> credits < 0).isPresent()) {
            throw DomainException.invalid("invalid_plan", "low_balance_credits cannot be negative");
        }
    }

    /**
     * The thresholds a write crossed: those with {@code before < t% of limit <= after}, ascending.
     * None when the limit is zero, where every write is refused or past it from the start.
     */
    public List<Integer> crossed(BigDecimal before, BigDecimal after, BigDecimal limit) {
        List<Integer> crossed = new ArrayList<>();
        if (limit.signum() <= 0 || after.compareTo(before) <= 0) {
            return crossed;
        }
        for (int threshold : thresholdsPercent) {
            BigDecimal mark = limit.multiply(BigDecimal.valueOf(threshold)).divide(HUNDRED);
            if (before.compareTo(mark) < 0 && after.compareTo(mark) >= 0) {
                crossed.add(threshold);
            }
        }
        return crossed;
    }

    /** Whether a credit balance going from {@code before} to {@code after} fell to or below the low mark. */
    public boolean balanceFellLow(long before, long after) {
        return lowBalanceCredits.filter(low -> before > low && after <= low).isPresent();
    }
}
