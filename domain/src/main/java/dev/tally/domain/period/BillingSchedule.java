package dev.tally.domain.period;

import dev.tally.domain.DomainException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A user's billing cycles over time: the cycle it was created with, followed by one cycle per
 * re-anchoring ("usage reset", R4). Each cycle governs from its anchor until the next one's, so a
 * reset starts a new period at that instant without rewriting the periods before it.
 *
 * <p>The current period is always computed from the schedule and the clock (R4); nothing stores
 * a "current period start" that a job would have to advance. Before the first anchor the first
 * cycle extends backwards, so every instant falls in exactly one period.
 */
public record BillingSchedule(List<BillingCycle> cycles) {

    public BillingSchedule {
        Objects.requireNonNull(cycles, "cycles");
        if (cycles.isEmpty()) {
            throw DomainException.invalid("invalid_billing", "a billing schedule needs at least one cycle");
        }
        cycles = List.copyOf(cycles);
        for (int i = 1; i < cycles.size(); i++) {
            if (!cycles.get(i - 1).anchor().isBefore(cycles.get(i).anchor())) {
                throw DomainException.invalid("invalid_billing", "cycle anchors must strictly increase");
            }
        }
    }

    /** A schedule of one cycle. */
    public static BillingSchedule of(BillingCycle cycle) {
        return new BillingSchedule(List.of(cycle));
    }

    /** The cycle in force now, the last one. */
    public BillingCycle latest() {
        return cycles.get(cycles.size() - 1);
    }

    /** The period that contains {@code instant} (R1, R2). */
    public BillingPeriod periodAt(Instant instant) {
        int index = 0;
        while (index + 1 < cycles.size() && !cycles.get(index + 1).anchor().isAfter(instant)) {
            index++;
        }
        BillingPeriod period = cycles.get(index).periodAt(instant);
        if (index + 1 < cycles.size() && cycles.get(index + 1).anchor().isBefore(period.end())) {
            return new BillingPeriod(period.start(), cycles.get(index + 1).anchor());
        }
        return period;
    }

    /**
     * The schedule after a usage reset at {@code at} (R4): a new period of the same kind and zone
     * starts at that instant, and earlier usage stops counting in the current period.
     */
    public BillingSchedule reanchoredAt(Instant at) {
        if (!at.isAfter(latest().anchor())) {
            throw DomainException.conflict("reset_not_after_anchor",
                    "a usage reset must be later than the current anchor " + latest().anchor());
        }
        List<BillingCycle> next = new ArrayList<>(cycles);
        next.add(latest().anchoredAt(at));
        return new BillingSchedule(next);
    }
}
