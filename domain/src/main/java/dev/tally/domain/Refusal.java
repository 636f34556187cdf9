package dev.tally.domain;

/**
 * A request that is valid but refused by a rule: a plan limit, a per-item cap or an empty credit
 * balance. Refusals are returned as values (never thrown), so a caller cannot mistake one for a
 * crash.
 */
public interface Refusal {

    /** The stable snake_case code, e.g. {@code runs_limit_exceeded} or {@code insufficient_credits}. */
    String code();

    /** A sentence for a person. */
    String message();
}
