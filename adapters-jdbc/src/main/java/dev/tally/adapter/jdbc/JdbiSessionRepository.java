package dev.tally.adapter.jdbc;

import dev.tally.application.port.SessionRepository;
import dev.tally.domain.session.Session;
import dev.tally.domain.user.UserId;
import java.util.Optional;

/** Sessions in SQL; completing one is a single conditional write on the open session, so it happens once. */
public final class JdbiSessionRepository implements SessionRepository {

    private final Db db;

    JdbiSessionRepository(Db db) {
        this.db = db;
    }

    @Override
    public void insert(Session session) {
        db.inTransaction(handle -> {
            Db.attach(handle, SessionDao.class).insert(SessionDao.Row.of(session));
            return null;
        });
    }

    @Override
    public Optional<Session> find(UserId user, String sessionId) {
        return db.read(handle -> Db.attach(handle, SessionDao.class).find(user.value(), sessionId));
    }

    @Override
    public boolean replaceOpen(Session session) {
        return db.inTransaction(handle ->
                Db.attach(handle, SessionDao.class).replaceOpen(SessionDao.Row.of(session))) == 1;
    }
}
