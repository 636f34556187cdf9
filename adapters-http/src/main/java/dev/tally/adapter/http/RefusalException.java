package dev.tally.adapter.http;

import dev.tally.application.usecase.Outcome;
import dev.tally.domain.Refusal;

/**
 * Carries a use case's {@link Refusal} from a route to the {@link ErrorMapper}, so that every
 * refusal is turned into a status and body in one place.
 */
final class RefusalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Refusal refusal;

    private RefusalException(Refusal refusal) {
        super(refusal.code(), null, false, false);
        this.refusal = refusal;
    }

    /** The value of a successful outcome; a refusal is thrown on to the error mapper. */
    static <T> T valueOf(Outcome<T> outcome) {
        if (outcome instanceof Outcome.Refused<T> refused) {
            throw new RefusalException(refused.refusal());
        }
        return ((Outcome.Done<T>) outcome).value();
    }

    Refusal refusal() {
        return refusal;
    }
}
