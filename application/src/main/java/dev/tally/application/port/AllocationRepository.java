package dev.tally.application.port;

import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The current value of each allocation metric of each user (R72): a count such as seats or
 * projects that no billing period resets. A value without a stored row is zero.
 */
public interface AllocationRepository {

    /** What {@link #add} did. */
    sealed interface Change permits Changed, OverLimit, BelowZero {
    }

    /**
     * The value went from {@code before} to {@code value} in one atomic step: no other change came
     * between them, so the thresholds between the two were crossed by this change alone (R75).
     */
    record Changed(BigDecimal before, BigDecimal value) implements Change {
    }

    /** An increase that would pass {@code limit}; nothing changed, the value is still {@code value}. */
    record OverLimit(BigDecimal value, BigDecimal limit) implements Change {
    }

    /** A decrease below zero; nothing changed, the value is still {@code value}. */
    record BelowZero(BigDecimal value) implements Change {
    }

    /**
     * Adds {@code delta} (either sign) to the value, atomically (R13): an increase only while
     * {@code value + delta <= limit}, a decrease only while {@code value + delta >= 0}. Under any
     * number of concurrent callers, on one node or several sharing a database, no increase passes
     * the limit and none is refused while there is room.
     */
    Change add(UserId user, MetricKey metric, BigDecimal delta, Limit limit);

    /**
     * Sets the value outright (an operator's import), whatever the limit, atomically as {@link #add}
     * does: the result names the value it replaced.
     */
    Changed set(UserId user, MetricKey metric, BigDecimal value);

    /** The user's stored values, by metric. */
    Map<MetricKey, BigDecimal> values(UserId user);

    /** One value; zero when none is stored. */
    default BigDecimal value(UserId user, MetricKey metric) {
        return values(user).getOrDefault(metric, BigDecimal.ZERO);
    }
}
