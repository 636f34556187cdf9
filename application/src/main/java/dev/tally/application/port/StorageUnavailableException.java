package dev.tally.application.port;

/**
 * Storage could not be reached or could not finish a transaction: the connection was lost, no
 * connection was free in time, or a conflict persisted through every retry (R66). Nothing is
 * wrong with the request; the same request, sent again later with the same idempotency key,
 * is counted exactly once (R20). Adapters throw it instead of their own exceptions so that the
 * callers of a use case can answer "try again" without knowing how storage works.
 *
 * <p>When the connection was lost while a transaction was committing, the write may or may not
 * have been stored; a retry with the same idempotency key finds out and never counts it twice.
 */
public class StorageUnavailableException extends RuntimeException {

    /**
     * @param message what could not be done, for the log
     * @param cause   the storage's own exception
     */
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
