package dev.tally.application.port;

import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.UsageTotals;
import java.math.BigDecimal;

/**
 * A check-and-record refused by a limit; nothing was written (R13).
 *
 * @param current   used and reserved in {@code period} when the check ran
 * @param requested what the request would have added
 */
public record Denied(MetricKey metric, BillingPeriod period, UsageTotals current, BigDecimal requested,
                     BigDecimal limit) implements AppendResult, ReserveResult {
}
