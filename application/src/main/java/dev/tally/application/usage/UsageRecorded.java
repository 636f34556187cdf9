package dev.tally.application.usage;

/**
 * What a usage batch did.
 *
 * @param accepted   records counted now
 * @param duplicates records already counted under the same idempotency key and payload
 */
public record UsageRecorded(int accepted, int duplicates) {
}
