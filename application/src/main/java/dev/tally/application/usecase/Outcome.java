package dev.tally.application.usecase;

import dev.tally.domain.Refusal;
import java.util.Objects;
import java.util.function.Function;

/**
 * The result of a use case that a rule may refuse: {@link Done} with its value, or
 * {@link Refused} with the {@link Refusal} (a limit, a per-item cap, an empty balance). A refusal
 * has written nothing.
 *
 * @param <T> the value of a successful use case
 */
public sealed interface Outcome<T> permits Outcome.Done, Outcome.Refused {

    static <T> Outcome<T> done(T value) {
        return new Done<>(value);
    }

    static <T> Outcome<T> refused(Refusal refusal) {
        return new Refused<>(refusal);
    }

    /** The value, or an {@link IllegalStateException} naming the refusal. */
    default T orElseThrow() {
        if (this instanceof Done<T> done) {
            return done.value();
        }
        throw new IllegalStateException("refused: " + ((Refused<T>) this).refusal().message());
    }

    /** Whether the use case was refused. */
    default boolean isRefused() {
        return this instanceof Refused;
    }

    /** Maps the value of a successful outcome. */
    default <R> Outcome<R> map(Function<T, R> mapper) {
        if (this instanceof Done<T> done) {
            return new Done<>(mapper.apply(done.value()));
        }
        return new Refused<>(((Refused<T>) this).refusal());
    }

    /** The use case did what was asked. */
    record Done<T>(T value) implements Outcome<T> {
        public Done {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A rule refused the request; nothing was written. */
    record Refused<T>(Refusal refusal) implements Outcome<T> {
        public Refused {
            Objects.requireNonNull(refusal, "refusal");
        }
    }
}
