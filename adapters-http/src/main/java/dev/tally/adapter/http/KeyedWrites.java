package dev.tally.adapter.http;

import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.TallyStorage;
import dev.tally.domain.user.UserId;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code Idempotency-Key} header for the single-object writes whose use case takes no key
 * (redeeming a code, recording a webhook delivery, resetting a billing period): the use case runs
 * inside the same {@link IdempotentWrites} the other writes use, so a retry with the same key and
 * request is answered once and counted once (R20).
 */
final class KeyedWrites {

    private final IdempotentWrites writes;

    KeyedWrites(TallyStorage storage) {
        // The clock only times the in-flight lease of a claimed key, which is wall-clock time.
        this.writes = new IdempotentWrites(storage.idempotency(), storage.transactions(), Clock.systemUTC());
    }

    /**
     * Runs {@code work} once per key of {@code user}; without a key it simply runs.
     *
     * @param payload  the operation and everything that defines the request
     * @param resultOf what to keep to answer a retry
     * @param replay   rebuilds the answer from what {@code resultOf} kept
     */
    <T> T run(Context ctx, UserId user, String payload, Supplier<T> work, Function<T, String> resultOf,
              Function<String, T> replay) {
        return writes.executeAlways(user, Requests.idempotencyKey(ctx), payload, work, resultOf, replay);
    }
}
