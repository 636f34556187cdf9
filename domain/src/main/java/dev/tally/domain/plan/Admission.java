package dev.tally.domain.plan;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The one admission rule of a limit for one request (R11, R13): {@code requested} more is admitted
 * iff {@code used + reserved + requested <= limit}, that is iff what is already held
 * ({@code used + reserved}) stays at or below the {@link #ceiling()} {@code limit - requested}.
 * Storages apply it atomically by binding the ceiling to their conditional write; none states the
 * rule again.
 *
 * @param requested what the request would add
 * @param limit     the limit; empty when unlimited, which admits everything
 */
public record Admission(BigDecimal requested, Optional<BigDecimal> limit) {

    public Admission {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(limit, "limit");
    }

    /** The most that may already be held for the request to be admitted; empty when unlimited. */
    public Optional<BigDecimal> ceiling() {
        return limit.map(max -> max.subtract(requested));
    }

    /** Whether the request is admitted where {@code held} ({@code used + reserved}) is already held. */
    public boolean admits(BigDecimal held) {
        return ceiling().map(ceiling -> held.compareTo(ceiling) <= 0).orElse(true);
    }

    /** Whether the request is admitted where {@code used} is used and {@code reserved} reserved. */
    public boolean admits(BigDecimal used, BigDecimal reserved) {
        return admits(used.add(reserved));
    }

    /** Whether no limit applies. */
    public boolean isUnlimited() {
        return limit.isEmpty();
    }
}
