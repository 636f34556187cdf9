package dev.tally.adapter.jdbc;

import dev.tally.application.port.EventLog;
import dev.tally.domain.event.Event;
import dev.tally.domain.event.EventType;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The event outbox in SQL (R75): appended in the caller's transaction, insert-if-absent on the
 * unique (user, once-key), so a concurrent writer of the same key on any node waits for this
 * transaction and then inserts nothing. Rate-bounded events are counted per (user, type) in one
 * row raised by one conditional {@code UPDATE} (R67).
 */
public final class JdbiEventLog implements EventLog {

    /**
     * One more event in the window, only while there is room: a later window starts the count
     * again, an earlier one (a lagging clock) counts in the later one.
     */
    private static final String COUNT = "UPDATE event_rates SET "
            + "events = CASE WHEN window_start >= ? THEN events + 1 ELSE 1 END, "
            + "window_start = CASE WHEN window_start >= ? THEN window_start ELSE ? END "
            + "WHERE user_id = ? AND type = ? AND (window_start < ? OR events < ?)";
    private static final String START = "INSERT INTO event_rates (user_id, type, window_start, events) "
            + "VALUES (?, ?, ?, 1) ON CONFLICT DO NOTHING";

    private final Db db;

    JdbiEventLog(Db db) {
        this.db = db;
    }

    @Override
    public boolean appendOnce(Event event, String onceKey) {
        return db.inTransaction(handle -> Db.attach(handle, EventDao.class).insertOnce(event.id(), event.user().value(),
                event.type().wireName(), event.createdAt(), onceKey, event.data())) == 1;
    }

    /** The key set aside ends with the event's own id, unique, so a threshold can be re-armed any number of times. */
    @Override
    public boolean rearm(UserId user, String onceKey) {
        return db.inTransaction(handle -> Jdbc.update(handle, "UPDATE events SET once_key = once_key || '#' || id "
                + "WHERE user_id = ? AND once_key = ?", user.value(), onceKey)) == 1;
    }

    @Override
    public boolean admit(UserId user, EventType type, Instant windowStart, int max) {
        return db.inTransaction(handle -> {
            Object[] count = {windowStart, windowStart, windowStart, user.value(), type.wireName(), windowStart,
                    (long) max};
            if (Jdbc.update(handle, COUNT, count) == 1) {
                return true;
            }
            // No counter yet, or the window is full: create the counter if missing, then count again.
            return Jdbc.update(handle, START, user.value(), type.wireName(), windowStart) == 1
                    || Jdbc.update(handle, COUNT, count) == 1;
        });
    }

    @Override
    public Optional<Event> find(String id) {
        return db.read(handle -> Db.attach(handle, EventDao.class).find(id)).map(Logged::event);
    }

    @Override
    public List<Logged> page(Optional<UserId> user, Optional<EventType> type, long after, int limit) {
        return db.read(handle -> Db.attach(handle, EventDao.class).page(after, user.map(UserId::value).orElse(""),
                type.map(EventType::wireName).orElse(""), limit));
    }

    @Override
    public List<Logged> pageBefore(Optional<UserId> user, Optional<EventType> type, long before, int limit) {
        return db.read(handle -> Db.attach(handle, EventDao.class).pageBefore(before,
                user.map(UserId::value).orElse(""), type.map(EventType::wireName).orElse(""), limit));
    }
}
