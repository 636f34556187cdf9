package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.access.ApiKey;
import dev.tally.application.port.ApiKeyRepository;
import dev.tally.domain.Fingerprint;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link ApiKeyRepository} promises (R60, R61). */
public abstract class ApiKeyRepositoryContract {

    private static final Instant AT = Instant.parse("2026-03-01T00:00:00Z");

    protected abstract ApiKeyRepository keys();

    @Test
    void R61_keys_are_found_by_hash_with_the_user_they_act_for() {
        ApiKey user = new ApiKey(Fingerprint.sha256(newId("key")), Optional.of(newUser()), AT);
        keys().insert(user);

        assertThat(keys().findByHash(user.hash())).contains(user);
        assertThat(keys().findByHash(Fingerprint.sha256("unknown"))).isEmpty();
    }

    @Test
    void R60_an_admin_key_acts_for_any_user() {
        ApiKey admin = new ApiKey(Fingerprint.sha256(newId("admin")), Optional.empty(), AT);
        keys().insert(admin);

        assertThat(keys().anyAdmin()).isTrue();
        assertThat(keys().findByHash(admin.hash()).map(ApiKey::isAdmin)).contains(true);
    }
}
