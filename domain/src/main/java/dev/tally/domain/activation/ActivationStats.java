package dev.tally.domain.activation;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Activation codes of one period (R45): codes issued in it, redemptions that happened in it
 * (whenever their code was issued), and the plan's issuing limit, empty when unlimited.
 */
public record ActivationStats(long issued, long redeemed, Optional<BigDecimal> limit) {

    public ActivationStats {
        Objects.requireNonNull(limit, "limit");
    }
}
