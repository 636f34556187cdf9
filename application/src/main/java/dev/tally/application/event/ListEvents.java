package dev.tally.application.event;

import dev.tally.domain.DomainException;
import dev.tally.domain.event.EventType;
import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of events (R75), oldest or newest first.
 *
 * @param user   only this user's events when given
 * @param type   only events of this type when given
 * @param limit  1–100 events
 * @param cursor where the previous page stopped, as {@link EventPage#nextCursor} gave it: a place in the
 *               log, from which a page reads on in its own order (after it oldest first, before it
 *               newest first), whichever order the page that gave it had
 * @param order  oldest or newest first
 */
public record ListEvents(Optional<UserId> user, Optional<EventType> type, int limit, Optional<String> cursor,
                         EventOrder order) {

    /** The largest page a request may ask for. */
    public static final int MAX_LIMIT = 100;
    /** The page size when a request names none. */
    public static final int DEFAULT_LIMIT = 50;

    /** Checks the fields: none is null, each within the bounds its rule sets. */

    public ListEvents {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(order, "order");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw DomainException.invalid("invalid_paging", "limit must be 1-" + MAX_LIMIT + ": " + limit);
        }
    }

    /** A page oldest first. */
    public ListEvents(Optional<UserId> user, Optional<EventType> type, int limit, Optional<String> cursor) {
        this(user, type, limit, cursor, EventOrder.OLDEST_FIRST);
    }

    /** The first page of every event. */
    public static ListEvents all() {
        return new ListEvents(Optional.empty(), Optional.empty(), DEFAULT_LIMIT, Optional.empty());
    }

    /** The first page of {@code user}'s events. */
    public static ListEvents of(UserId user) {
        return new ListEvents(Optional.of(user), Optional.empty(), DEFAULT_LIMIT, Optional.empty());
    }
}
