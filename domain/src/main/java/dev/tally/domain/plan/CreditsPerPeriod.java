package dev.tally.domain.plan;

import dev.tally.domain.DomainException;
import java.util.Objects;
import java.util.Optional;

/**
 * A plan's credits granted every period (R37): {@code amount} credits spent under
 * {@code priority}, lapsing at the period's end, of which the next period carries what
 * {@code rollover} allows. Each user gets exactly one such grant per period, made by the first
 * read or write of the period.
 *
 * @param rollover the most credits carried into the next period: 0 for none, empty for all
 */
public record CreditsPerPeriod(long amount, int priority, Optional<Long> rollover) {

    /** The most credits a period may grant (R64), as any single credit write. */
    public static final long MAX_AMOUNT = 1_000_000_000_000_000L;

    public CreditsPerPeriod {
        Objects.requireNonNull(rollover, "rollover");
        if (amount < 1 || amount > MAX_AMOUNT) {
            throw DomainException.invalid("invalid_credits_per_period",
                    "credits_per_period.amount is a whole number of credits from 1 to " + MAX_AMOUNT + ": " + amount);
        }
        if (priority < 0 || priority > 100) {
            throw DomainException.invalid("invalid_priority",
                    "credits_per_period.priority is a whole number from 0 (spent first) to 100: " + priority);
        }
        if (rollover.filter(cap -> cap < 0 || cap > MAX_AMOUNT).isPresent()) {
            throw DomainException.invalid("invalid_credits_per_period",
                    "credits_per_period.rollover is none, all, or a number of credits from 0 to " + MAX_AMOUNT);
        }
    }

    /** What the next period carries of {@code unspent} credits left at a period's end. */
    public long carried(long unspent) {
        return Math.max(0, rollover.map(cap -> Math.min(cap, unspent)).orElse(unspent));
    }

    /** The rollover as the API shows it: {@code "none"}, {@code "all"}, or the cap. */
    public Object rolloverShown() {
        return rollover.isEmpty() ? "all" : rollover.get() == 0 ? "none" : rollover.get();
    }

    /** The rollover as the API sends it: {@code "none"}, {@code "all"}, or a whole number of credits. */
    public static Optional<Long> rollover(Object sent) {
        if (sent == null || "none".equals(sent)) {
            return Optional.of(0L);
        }
        if ("all".equals(sent)) {
            return Optional.empty();
        }
        if (sent instanceof Number number && number.longValue() >= 0 && number.doubleValue() == number.longValue()) {
            return Optional.of(number.longValue());
        }
        throw DomainException.invalid("invalid_credits_per_period",
                "credits_per_period.rollover is \"none\", \"all\", or a whole number of credits: " + sent);
    }
}
