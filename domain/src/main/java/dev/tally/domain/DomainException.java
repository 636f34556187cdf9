package dev.tally.domain;

import java.util.Objects;

/**
 * Bad input or a broken invariant, with a machine-readable {@link #code()} (snake_case, stable,
 * shown to API clients) and a {@link #kind()} that tells an adapter how to present it.
 *
 * <p>Limit denials are not exceptions: they are {@link Refusal} values returned by the use cases.
 */
public class DomainException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of failure this is, independent of any transport. */
    public enum Kind {
        /** The request itself is malformed or out of range. */
        INVALID,
        /** A referenced thing does not exist (or is not visible to the caller). */
        NOT_FOUND,
        /** The request conflicts with the current state (terminal run, used-up code, in-flight retry). */
        CONFLICT,
        /** The request is well formed but cannot be processed as sent (an idempotency key reused). */
        UNPROCESSABLE
    }

    private final String code;
    private final Kind kind;

    public DomainException(Kind kind, String code, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = Objects.requireNonNull(code, "code");
    }

    public static DomainException invalid(String code, String message) {
        return new DomainException(Kind.INVALID, code, message);
    }

    public static DomainException notFound(String code, String message) {
        return new DomainException(Kind.NOT_FOUND, code, message);
    }

    public static DomainException conflict(String code, String message) {
        return new DomainException(Kind.CONFLICT, code, message);
    }

    public static DomainException unprocessable(String code, String message) {
        return new DomainException(Kind.UNPROCESSABLE, code, message);
    }

    /** The stable snake_case error code, e.g. {@code occurred_at_in_future}. */
    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }
}
