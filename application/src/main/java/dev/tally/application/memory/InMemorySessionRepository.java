package dev.tally.application.memory;

import dev.tally.application.port.SessionRepository;
import dev.tally.domain.session.Session;
import dev.tally.domain.user.UserId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Sessions in memory; replacing an open one is atomic. */
public final class InMemorySessionRepository implements SessionRepository {

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    @Override
    public void insert(Session session) {
        if (sessions.putIfAbsent(session.id(), session) != null) {
            throw new IllegalStateException("session " + session.id() + " already exists");
        }
    }

    @Override
    public Optional<Session> find(UserId user, String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId)).filter(s -> s.user().equals(user));
    }

    @Override
    public boolean replaceOpen(Session session) {
        boolean[] replaced = new boolean[1];
        sessions.computeIfPresent(session.id(), (id, stored) -> {
            replaced[0] = stored.user().equals(session.user()) && stored.durationSeconds().isEmpty();
            return replaced[0] ? session : stored;
        });
        return replaced[0];
    }
}
