package dev.tally.domain.usage;

import dev.tally.domain.DomainException;

/** A client's key that makes a write safe to retry (R20); scoped per user. */
public record IdempotencyKey(String value) {

    public IdempotencyKey {
        if (value == null || value.isBlank() || value.length() > 255) {
            throw DomainException.invalid("invalid_idempotency_key", "idempotency key must be 1-255 characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw DomainException.invalid("invalid_idempotency_key", "idempotency key contains a control character");
            }
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
