package dev.tally.domain.credit;

import dev.tally.domain.Refusal;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.PlanId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An enforced write of credit-priced usage (R38) that the balance cannot pay for: nothing of it is
 * stored. Over HTTP it is {@code 402 insufficient_credits} with the figures of a denial (R12) of
 * the first priced metric of the write in request order, plus the {@code balance} and the credits
 * the whole write {@code required}.
 *
 * @param used      what is used of {@code metric} in the period of its first record
 * @param limit     the plan's limit of {@code metric} in that period; empty when unlimited
 * @param requested the quantity of {@code metric} the write carried
 * @param resetsAt  when that period resets
 * @param balance   the credits the user had
 * @param required  the credits the write would have spent, more than {@code balance}
 */
public record CreditsShortfall(MetricKey metric, BigDecimal used, Optional<BigDecimal> limit, BigDecimal requested,
                               PlanId plan, Instant resetsAt, long balance, BigInteger required)
        implements Refusal {

    public CreditsShortfall {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(required, "required");
        if (required.compareTo(BigInteger.valueOf(balance)) <= 0) {
            throw new IllegalArgumentException("a balance of " + balance + " pays for " + required + " credits");
        }
    }

    @Override
    public String code() {
        return "insufficient_credits";
    }

    @Override
    public String message() {
        return "Recording " + requested.toPlainString() + " " + metric + " costs " + required
                + " credits under plan " + plan + "; the balance is " + balance + " credits.";
    }
}
