package dev.tally.application.memory;

import dev.tally.application.port.IdempotencyStore;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Idempotency keys in memory, claimed and completed atomically per key. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

    private record Key(UserId user, IdempotencyKey key) {
    }

    private record Entry(String fingerprint, Instant claimedAt, String result) {
        boolean completed() {
            return result != null;
        }
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public Claim claim(UserId user, IdempotencyKey key, String fingerprint, Instant now) {
        Claim[] outcome = new Claim[1];
        entries.compute(new Key(user, key), (k, existing) -> {
            if (existing == null || (!existing.completed() && existing.claimedAt().plus(LEASE).isBefore(now)
                    && existing.fingerprint().equals(fingerprint))) {
                outcome[0] = new Claimed();
                return new Entry(fingerprint, now, null);
            }
            if (!existing.fingerprint().equals(fingerprint)) {
                outcome[0] = new Reused();
            } else if (existing.completed()) {
                outcome[0] = new Replay(existing.result());
            } else {
                outcome[0] = new InFlight();
            }
            return existing;
        });
        return outcome[0];
    }

    @Override
    public void complete(UserId user, IdempotencyKey key, String result) {
        entries.compute(new Key(user, key), (k, e) -> {
            if (e == null || e.completed()) {
                throw new IllegalStateException("idempotency key " + key + " is not claimed or already completed");
            }
            return new Entry(e.fingerprint(), e.claimedAt(), result);
        });
    }

    @Override
    public void release(UserId user, IdempotencyKey key) {
        entries.computeIfPresent(new Key(user, key), (k, e) -> e.completed() ? e : null);
    }
}
