package dev.tally.domain.plan;

/**
 * The answer to "may this much more be used?" (R11, R12): a value, never an exception.
 */
public sealed interface LimitDecision permits LimitDecision.Allowed, LimitExceeded {

    /** The request fits. */
    static LimitDecision allowed() {
        return Allowed.INSTANCE;
    }

    /** Whether the request fits. */
    default boolean isAllowed() {
        return this instanceof Allowed;
    }

    /** The request fits within the limit. */
    enum Allowed implements LimitDecision {
        INSTANCE
    }
}
