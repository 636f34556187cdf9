package dev.tally.application.port;

import dev.tally.domain.session.Session;
import dev.tally.domain.user.UserId;
import java.util.Optional;

/** Sessions; a stored session is readable at once (read-your-writes). */
public interface SessionRepository {

    void insert(Session session);

    Optional<Session> find(UserId user, String sessionId);

    /**
     * Stores {@code session} (as {@link Session#complete(long)} returned it) over the stored
     * session of the same id and user, atomically and only while the stored one is still open;
     * false when another request completed it first, or there is no such session.
     */
    boolean replaceOpen(Session session);
}
