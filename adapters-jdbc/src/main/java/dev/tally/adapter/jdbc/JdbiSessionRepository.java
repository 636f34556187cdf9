package dev.tally.adapter.jdbc;

import dev.tally.application.port.SessionRepository;
import dev.tally.domain.DomainException;
import dev.tally.domain.session.Session;
import dev.tally.domain.user.UserId;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Sessions in SQL; completing one is a single conditional write, so it happens once. */
public final class JdbiSessionRepository implements SessionRepository {

    private final Db db;

    public JdbiSessionRepository(Jdbi jdbi) {
        this.db = new Db(jdbi);
    }

    @Override
    public void insert(Session session) {
        db.inTransaction(handle -> {
            handle.attach(SessionDao.class).insert(session.id(), session.user().value(), session.title(),
                    session.fileSizeMb().orElse(null), session.createdAt(),
                    session.durationSeconds().isPresent() ? session.durationSeconds().getAsLong() : null);
            return null;
        });
    }

    @Override
    public Optional<Session> find(UserId user, String sessionId) {
        return db.read(handle -> handle.attach(SessionDao.class).find(user.value(), sessionId));
    }

    @Override
    public Optional<Session> complete(UserId user, String sessionId, long durationSeconds) {
        if (durationSeconds < 0) {
            throw DomainException.invalid("invalid_duration", "duration_seconds cannot be negative");
        }
        return db.inTransaction(handle -> {
            SessionDao dao = handle.attach(SessionDao.class);
            if (dao.complete(user.value(), sessionId, durationSeconds) == 0) {
                return Optional.empty();
            }
            return dao.find(user.value(), sessionId);
        });
    }
}
