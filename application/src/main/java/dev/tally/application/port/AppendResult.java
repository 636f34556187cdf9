package dev.tally.application.port;

import dev.tally.domain.usage.IdempotencyKey;

/** What {@link UsageLedger#append} did: everything, or nothing and why. */
public sealed interface AppendResult permits AppendResult.Appended, AppendResult.KeyReused, Denied {

    /**
     * Every new record was stored and counted.
     *
     * @param accepted   records stored now
     * @param duplicates records whose key was already stored with the same payload: not counted again
     */
    record Appended(int accepted, int duplicates) implements AppendResult {
    }

    /** A record's key was already stored with a different payload; nothing was stored (R20). */
    record KeyReused(IdempotencyKey key) implements AppendResult {
    }
}
