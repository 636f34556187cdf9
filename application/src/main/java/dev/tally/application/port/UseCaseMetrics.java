package dev.tally.application.port;

import dev.tally.application.usecase.Outcome;
import dev.tally.domain.Refusal;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the use cases that decide (record usage, start a run, open a session, write credits,
 * record an API call, issue an activation code) report each answer: granted or refused, with
 * the refusal, and how long it took; and each failure (bad input, storage unavailable). An
 * embedder's dashboards see Tally through it without the HTTP adapter; the adapter ships a
 * Micrometer implementation. Implementations must be thread-safe and quick, since they run
 * on the caller's thread.
 */
public interface UseCaseMetrics {

    /** Reports nothing. */
    UseCaseMetrics NONE = new UseCaseMetrics() {
        @Override
        public void answered(String useCase, Optional<Refusal> refusal, Duration took) {
        }

        @Override
        public void failed(String useCase, RuntimeException failure, Duration took) {
        }
    };

    /**
     * A use case answered.
     *
     * @param useCase such as {@code usage.record}
     * @param refusal empty when granted; the refusal (a limit, an empty balance) when refused
     * @param took    from the call to the answer
     */
    void answered(String useCase, Optional<Refusal> refusal, Duration took);

    /** A use case threw {@code failure} instead of answering. */
    void failed(String useCase, RuntimeException failure, Duration took);

    /** Runs {@code work} as use case {@code useCase} and reports how it went. */
    default <T> Outcome<T> measure(String useCase, Supplier<Outcome<T>> work) {
        long start = System.nanoTime();
        Outcome<T> outcome;
        try {
            outcome = work.get();
        } catch (RuntimeException e) {
            failed(useCase, e, Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
        Optional<Refusal> refusal = outcome instanceof Outcome.Refused<T> refused
                ? Optional.of(refused.refusal()) : Optional.empty();
        answered(useCase, refusal, Duration.ofNanos(System.nanoTime() - start));
        return outcome;
    }
}
