package dev.tally.application.port;

import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;

/**
 * Idempotency keys of single-object writes, scoped per user (R20). A write first
 * {@linkplain #claim claims} its key in a short transaction of its own; the use case then does
 * its work and {@linkplain #complete completes} the key with its result inside the same
 * transaction as the work, so a committed write always has a completed key and a retry after a
 * lost answer replays the original result. A write that is refused or fails
 * {@linkplain #release releases} the key so the client can try again.
 */
public interface IdempotencyStore {

    /**
     * How long a claim may stay in flight before a retry may take it over: the writer is presumed
     * dead (a crash, a lost connection), and its retry must not be told {@code 409} for long (R66:
     * released within 10 s). A writer that is merely slow cannot make the key count twice: only
     * one {@link #complete} of a claim succeeds, and the other's transaction rolls back.
     */
    Duration LEASE = Duration.ofSeconds(8);

    /**
     * Claims {@code key} for a request whose payload hashes to {@code fingerprint}. The claim
     * commits on its own: call it outside {@link Transactions}, so that a retried transaction does
     * not meet its own claim as in flight.
     */
    Claim claim(UserId user, IdempotencyKey key, String fingerprint, Instant now);

    /**
     * Records the result of the claimed write; called inside the write's transaction.
     *
     * @throws IllegalStateException if another request (one that took over an expired claim)
     *                               already completed the key, so this write must roll back
     */
    void complete(UserId user, IdempotencyKey key, String result);

    /** Forgets an uncompleted claim. */
    void release(UserId user, IdempotencyKey key);

    /** The outcome of a claim. */
    sealed interface Claim {
    }

    /** The key is now held by this request. */
    record Claimed() implements Claim {
    }

    /** The key was completed with the same payload: answer with this result again. */
    record Replay(String result) implements Claim {
    }

    /** The key was used with a different payload: {@code 422 idempotency_key_reused}. */
    record Reused() implements Claim {
    }

    /** Another request with the key is still in flight: {@code 409 idempotency_in_flight}. */
    record InFlight() implements Claim {
    }
}
