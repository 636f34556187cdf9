package dev.tally.application.usecase;

import dev.tally.domain.Refusal;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The result of a use case that a rule may refuse: {@link Done} with its value, or
 * {@link Refused} with the {@link Refusal} (a limit, a per-item cap, an empty balance). A refusal
 * has written nothing.
 *
 * @param <T> the value of a successful use case
 */
public sealed interface Outcome<T> permits Outcome.Done, Outcome.Refused {

    /** A successful outcome carrying {@code value}. */
    static <T> Outcome<T> done(T value) {
        return new Done<>(value);
    }

    /** A refused outcome carrying {@code refusal}. */
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

    /**
     * One of two results: {@code onDone} applied to the value, or {@code onRefused} applied to the
     * refusal.
     *
     * <pre>{@code
     * String reply = tally.runs().start(StartRun.of(user))
     *         .fold(run -> "started " + run.id(), refusal -> "refused: " + refusal.message());
     * }</pre>
     */
    default <R> R fold(Function<? super T, ? extends R> onDone, Function<? super Refusal, ? extends R> onRefused) {
        if (this instanceof Done<T> done) {
            return onDone.apply(done.value());
        }
        return onRefused.apply(((Refused<T>) this).refusal());
    }

    /** The value of a successful outcome, or empty when it was refused. */
    default Optional<T> asOptional() {
        return fold(Optional::of, refusal -> Optional.empty());
    }

    /**
     * The refusal as a {@code type} (such as {@code LimitExceeded}), or empty when the outcome
     * succeeded or was refused for another reason: no cast needed to read a refusal's fields.
     */
    default <R extends Refusal> Optional<R> refusalAs(Class<R> type) {
        return fold(value -> Optional.<Refusal>empty(), Optional::of).filter(type::isInstance).map(type::cast);
    }

    /** Runs {@code action} with the refusal when the outcome was refused; returns this outcome. */
    default Outcome<T> ifRefused(Consumer<? super Refusal> action) {
        if (this instanceof Refused<T> refused) {
            action.accept(refused.refusal());
        }
        return this;
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
        /** Checks the fields: none is null, each within the bounds its rule sets. */
        public Done {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A rule refused the request; nothing was written. */
    record Refused<T>(Refusal refusal) implements Outcome<T> {
        /** Checks the fields: none is null, each within the bounds its rule sets. */
        public Refused {
            Objects.requireNonNull(refusal, "refusal");
        }
    }
}
