package dev.tally.domain.cost;

import java.math.BigDecimal;
import java.util.Objects;

/** What one provider cost in a period, and over how many calls. */
public record ProviderCost(String provider, BigDecimal costUsd, long calls) {

    public ProviderCost {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(costUsd, "costUsd");
    }
}
