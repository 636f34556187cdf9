package dev.tally.application.port;

import dev.tally.domain.session.Session;
import dev.tally.domain.user.UserId;
import java.util.Optional;

/** Sessions; a stored session is readable at once (read-your-writes). */
public interface SessionRepository {

    void insert(Session session);

    Optional<Session> find(UserId user, String sessionId);

    /**
     * Stores the duration of an open session atomically; empty when the session does not exist
     * or was already completed.
     */
    Optional<Session> complete(UserId user, String sessionId, long durationSeconds);
}
