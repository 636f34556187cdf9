package dev.tally.application.audit;

import dev.tally.application.usecase.Paging;
import dev.tally.domain.DomainException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A query of the audit log (R93): entries of one target and/or one action, newest first, those
 * with an id below {@code before} when given, {@code limit} of them (1–100).
 */
public record ListAudit(Optional<String> target, Optional<String> action, OptionalLong before, int limit) {

    public ListAudit {
        target = target.filter(t -> !t.isEmpty());
        action = action.filter(a -> !a.isEmpty());
        if (limit < 1 || limit > Paging.MAX_LIMIT) {
            throw DomainException.invalid("invalid_paging", "limit must be 1-" + Paging.MAX_LIMIT + ": " + limit);
        }
        if (before.isPresent() && before.getAsLong() < 1) {
            throw DomainException.invalid("invalid_cursor", "the cursor is not one this server gave");
        }
    }
}
