package dev.tally.adapter.jdbc;

import dev.tally.application.port.EventLog;
import dev.tally.domain.event.Event;
import dev.tally.domain.event.EventType;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The event outbox in SQL (R75): appended in the caller's transaction, insert-if-absent on the
 * unique (user, once-key), so a concurrent writer of the same key on any node waits for this
 * transaction and then inserts nothing.
 */
public final class JdbiEventLog implements EventLog {

    private final Db db;

    public JdbiEventLog(Jdbi jdbi) {
        this.db = new Db(jdbi);
    }

    @Override
    public boolean appendOnce(Event event, String onceKey) {
        return db.inTransaction(handle -> Db.attach(handle, EventDao.class).insertOnce(event.id(), event.user().value(),
                event.type().wireName(), event.createdAt(), onceKey, event.data())) == 1;
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
}
