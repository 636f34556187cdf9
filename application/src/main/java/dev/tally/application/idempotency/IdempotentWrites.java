package dev.tally.application.idempotency;

import dev.tally.application.port.IdempotencyStore;
import dev.tally.application.port.Transactions;
import dev.tally.application.usecase.Outcome;
import dev.tally.domain.DomainException;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a single-object write as one transaction, made safe to retry by an idempotency key (R20):
 * the same key and payload get the original result again, a different payload is
 * {@code 422 idempotency_key_reused}, and a retry while the first is still in flight is
 * {@code 409 idempotency_in_flight}. The key is completed inside the write's transaction, so a
 * write that committed is never done twice and one that did not is never lost.
 */
public class IdempotentWrites {

    private final IdempotencyStore store;
    private final Transactions transactions;
    private final Clock clock;

    @Inject
    public IdempotentWrites(IdempotencyStore store, Transactions transactions, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Runs {@code work} in a transaction, once per key.
     *
     * @param fingerprint what the client sent, as its command's {@code fingerprint()} gives it:
     *                    tells a retry from a different request under the same key (R20)
     * @param resultOf what to store to answer a retry: usually the id of the created thing
     * @param replay   rebuilds the answer from what {@code resultOf} stored
     */
    public <T> Outcome<T> execute(UserId user, Optional<IdempotencyKey> key, String fingerprint,
                                  Supplier<Outcome<T>> work, Function<T, String> resultOf,
                                  Function<String, T> replay) {
        if (key.isEmpty()) {
            return transactions.inTransaction(work);
        }
        IdempotencyKey k = key.get();
        IdempotencyStore.Claim claim = store.claim(user, k, fingerprint, clock.instant());
        if (claim instanceof IdempotencyStore.Replay replayed) {
            return Outcome.done(replay.apply(replayed.result()));
        }
        if (claim instanceof IdempotencyStore.Reused) {
            throw DomainException.unprocessable("idempotency_key_reused",
                    "idempotency key " + k + " was already used with a different request");
        }
        if (claim instanceof IdempotencyStore.InFlight) {
            throw DomainException.conflict("idempotency_in_flight",
                    "a request with idempotency key " + k + " is still in progress; retry shortly");
        }
        boolean completed = false;
        try {
            Outcome<T> outcome = transactions.inTransaction(() -> {
                Outcome<T> result = work.get();
                if (result instanceof Outcome.Done<T> done) {
                    store.complete(user, k, resultOf.apply(done.value()));
                }
                return result;
            });
            completed = !outcome.isRefused();
            return outcome;
        } catch (IllegalStateException tookOver) {
            // This request was slow past the lease and a retry completed the key first: this
            // transaction rolled back, so answer as the retry was answered (R66).
            if (store.claim(user, k, fingerprint, clock.instant()) instanceof IdempotencyStore.Replay replayed) {
                completed = true;
                return Outcome.done(replay.apply(replayed.result()));
            }
            throw tookOver;
        } finally {
            if (!completed) {
                store.release(user, k);
            }
        }
    }

    /** {@link #execute} for a write that no rule can refuse. */
    public <T> T executeAlways(UserId user, Optional<IdempotencyKey> key, String fingerprint, Supplier<T> work,
                               Function<T, String> resultOf, Function<String, T> replay) {
        return execute(user, key, fingerprint, () -> Outcome.done(work.get()), resultOf, replay).orElseThrow();
    }
}
