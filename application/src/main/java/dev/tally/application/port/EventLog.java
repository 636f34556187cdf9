package dev.tally.application.port;

import dev.tally.domain.event.Event;
import dev.tally.domain.event.EventType;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The event outbox (R75): events are appended in the transaction of the write that causes them,
 * so an event exists if and only if its write committed; they are never changed and are kept.
 */
public interface EventLog {

    /**
     * Appends {@code event} unless the user already has an event under {@code onceKey}; returns
     * whether it was appended. The key is unique per user in storage, so two writers, two nodes or
     * a retry never both append one (insert-if-absent, not read-then-write).
     */
    boolean appendOnce(Event event, String onceKey);

    /**
     * Frees {@code onceKey} of {@code user} so that the next {@link #appendOnce} under it appends
     * again: a threshold a void took the metric back under is armed anew (R75, R92). The event
     * already appended under it stays exactly as it was (id, type, instant and data); only the key
     * that kept it once is set aside. Returns whether an event held the key. Runs in the caller's
     * transaction, which holds the rollup the threshold watches, so no raise of it runs meanwhile.
     */
    boolean rearm(UserId user, String onceKey);

    /**
     * Counts one more event of {@code type} for {@code user} in the window that starts at
     * {@code windowStart}, if fewer than {@code max} were counted in it; returns whether it was
     * counted (R67). One counter per (user, type), raised by one conditional write in the caller's
     * transaction, so the bound is exact on any number of nodes; a window earlier than the one
     * counted (a node whose clock lags) counts in the later one.
     */
    boolean admit(UserId user, EventType type, Instant windowStart, int max);

    /** The event with this id. */
    Optional<Event> find(String id);

    /**
     * Events oldest first, after the position {@code after} (0 for the start, or the
     * {@link Logged#position} of an event read before), at most {@code limit}; only
     * {@code user}'s and of {@code type} when given.
     */
    List<Logged> page(Optional<UserId> user, Optional<EventType> type, long after, int limit);

    /**
     * Events newest first, before the position {@code before} ({@link Long#MAX_VALUE} for the
     * newest), at most {@code limit}; only {@code user}'s and of {@code type} when given.
     */
    List<Logged> pageBefore(Optional<UserId> user, Optional<EventType> type, long before, int limit);

    /** An event and its position in the log, which grows with every append. */
    record Logged(long position, Event event) {
    }
}
