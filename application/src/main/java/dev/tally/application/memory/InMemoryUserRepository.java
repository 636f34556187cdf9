package dev.tally.application.memory;

import dev.tally.application.port.UserRepository;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Users in memory. */
public final class InMemoryUserRepository implements UserRepository {

    private final Map<UserId, User> users = new ConcurrentHashMap<>();

    @Override
    public void save(User user) {
        users.put(user.id(), user);
    }

    @Override
    public Optional<User> find(UserId id) {
        return Optional.ofNullable(users.get(id));
    }

    @Override
    public List<User> all() {
        return List.copyOf(users.values());
    }
}
