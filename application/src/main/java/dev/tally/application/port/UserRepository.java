package dev.tally.application.port;

import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import java.util.Optional;

/** Users by id, with their plan and billing schedule. */
public interface UserRepository {

    /** Creates or replaces the user with this id. */
    void save(User user);

    Optional<User> find(UserId id);
}
