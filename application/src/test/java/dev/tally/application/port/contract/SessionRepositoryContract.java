package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.assertSameValue;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.dec;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.SessionRepository;
import dev.tally.domain.session.Session;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What every {@link SessionRepository} promises: read-your-writes, and completion once. */
public abstract class SessionRepositoryContract {

    protected abstract SessionRepository sessions();

    private Session opened(UserId user) {
        Session session = Session.open(newId("s"), user, "Weekly call", Optional.of(dec("12.5")), MARCH.start());
        sessions().insert(session);
        return session;
    }

    /**
     * A completion as the use case makes it: read the session, let the domain complete it, and
     * store the result only over the open session.
     */
    private Optional<Session> complete(UserId user, String sessionId, long seconds) {
        Optional<Session> stored = sessions().find(user, sessionId);
        if (stored.isEmpty() || stored.get().durationSeconds().isPresent()) {
            return Optional.empty();
        }
        Session done = stored.get().complete(seconds);
        return sessions().replaceOpen(done) ? Optional.of(done) : Optional.empty();
    }

    @Test
    void a_stored_session_reads_back_at_once_for_its_user_only() {
        UserId user = newUser();
        Session session = opened(user);

        assertSameValue(sessions().find(user, session.id()).orElseThrow(), session);
        assertThat(sessions().find(newUser(), session.id())).isEmpty();
    }

    @Test
    void a_session_completes_once() {
        UserId user = newUser();
        Session session = opened(user);

        Session done = complete(user, session.id(), 125).orElseThrow();
        assertThat(done.durationSeconds()).isEqualTo(OptionalLong.of(125));
        assertThat(complete(user, session.id(), 300)).isEmpty();
        assertThat(sessions().find(user, session.id()).orElseThrow().durationSeconds()).hasValue(125);
        assertThat(complete(newUser(), opened(user).id(), 1)).isEmpty();
        assertThat(complete(user, "missing", 1)).isEmpty();
    }

    @Test
    void of_concurrent_completions_exactly_one_wins() throws Exception {
        UserId user = newUser();
        Session session = opened(user);
        List<Optional<Session>> results = concurrently(16, 16, i -> () -> complete(user, session.id(), i));

        assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
    }

    @Test
    void only_an_open_session_of_the_same_user_is_replaced() {
        UserId user = newUser();
        Session session = opened(user);
        Session otherUsers = new Session(session.id(), newUser(), session.title(), session.fileSizeMb(),
                session.createdAt(), OptionalLong.of(60));

        assertThat(sessions().replaceOpen(otherUsers)).isFalse();
        assertThat(sessions().replaceOpen(Session.open("missing", user, "Gone", Optional.empty(), MARCH.start())
                .complete(1))).isFalse();
        assertThat(sessions().replaceOpen(session.complete(60))).isTrue();
        assertThat(sessions().replaceOpen(session.complete(90))).isFalse();
        assertThat(sessions().find(user, session.id()).orElseThrow().durationSeconds()).hasValue(60);
    }

    @Test
    void of_concurrent_replaces_of_an_open_session_exactly_one_is_stored() throws Exception {
        UserId user = newUser();
        Session session = opened(user);
        List<Boolean> results = concurrently(16, 16, i -> () -> sessions().replaceOpen(session.complete(i)));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
    }
}
