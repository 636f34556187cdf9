package dev.tally.application.billing;

import dev.tally.domain.DomainException;
import dev.tally.domain.plan.MetricStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A page of the operator's list (R53).
 *
 * @param statuses the worst statuses to keep; empty keeps every user
 * @param limit    1–100 users
 * @param cursor   where the previous page stopped, as {@link UserList#nextCursor} gave it
 */
public record ListUsers(Set<MetricStatus> statuses, int limit, Optional<String> cursor) {

    /** The largest page a request may ask for. */
    public static final int MAX_LIMIT = 100;
    /** The page size when a request names none. */
    public static final int DEFAULT_LIMIT = 50;

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public ListUsers {
        statuses = Set.copyOf(statuses);
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw DomainException.invalid("invalid_paging", "limit must be 1-" + MAX_LIMIT + ": " + limit);
        }
    }

    /** The first page of every user. */
    public static ListUsers all() {
        return new ListUsers(Set.of(), DEFAULT_LIMIT, Optional.empty());
    }
}
