package dev.tally.application.usage;

import dev.tally.domain.rate.RateDecision;
import java.util.List;

/**
 * What a usage batch did.
 *
 * @param accepted   records counted now
 * @param duplicates records already counted under the same idempotency key and payload
 * @param rates      where each rate limit the batch passed stands after it (R90, R91), by metric
 */
public record UsageRecorded(int accepted, int duplicates, List<RateDecision.Standing> rates) {

    public UsageRecorded {
        rates = List.copyOf(rates);
    }

    /** A batch that passed no rate limit. */
    public UsageRecorded(int accepted, int duplicates) {
        this(accepted, duplicates, List.of());
    }
}
