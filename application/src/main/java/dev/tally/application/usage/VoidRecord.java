package dev.tally.application.usage;

import dev.tally.domain.DomainException;
import dev.tally.domain.usage.RecordId;
import dev.tally.domain.user.UserId;
import java.util.Objects;

/**
 * Void one usage record (R92), with the operator's reason (1 to {@value #MAX_REASON} characters).
 */
public record VoidRecord(UserId user, RecordId record, String reason) {

    public static final int MAX_REASON = 500;

    public VoidRecord {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(record, "record");
        if (reason == null || reason.isBlank()) {
            throw DomainException.invalid("missing_field", "a void needs a reason");
        }
        if (reason.length() > MAX_REASON) {
            throw DomainException.invalid("field_too_long", "a reason is at most " + MAX_REASON + " characters");
        }
    }
}
