package dev.tally.application.port;

import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.time.Instant;

/**
 * Voids of usage records (R92): the record stays, a void that references it is stored, and what
 * the record caused is taken back in the same transaction: its quantity out of the rollup of its
 * (metric, period), and so out of every read that comes from the rollups or the facts (usage,
 * entitlements, series, the operator's list). A record has at most one void, however many callers
 * void it at once; a record stored again under its key after a void is the same record (R20) and
 * counts nothing.
 */
public interface UsageVoids {

    /**
     * Voids the record of {@code user} stored under {@code key}, at {@code at}, unless it is void
     * already (then the earlier void is answered) or its period ended before {@code closedBefore}.
     */
    VoidOutcome voidRecord(UserId user, IdempotencyKey key, String reason, Instant at, Instant closedBefore);
}
