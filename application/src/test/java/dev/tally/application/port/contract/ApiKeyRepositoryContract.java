package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.ApiKey;
import dev.tally.application.port.ApiKeyRepository;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link ApiKeyRepository} promises (R60, R61, R63). */
public abstract class ApiKeyRepositoryContract {

    private static final Instant AT = Instant.parse("2026-03-01T00:00:00Z");

    protected abstract ApiKeyRepository keys();

    private static ApiKey key(Optional<UserId> user, Instant createdAt) {
        return ApiKey.created(newId("key"), newId("tly_plaintext-of-a-key"), user, createdAt);
    }

    @Test
    void R61_keys_are_found_by_hash_with_the_user_they_act_for() {
        ApiKey user = key(Optional.of(newUser()), AT);
        keys().insert(user);

        assertThat(keys().findByHash(user.hash())).contains(user);
        assertThat(keys().findByHash(newId("unknown"))).isEmpty();
    }

    @Test
    void R60_an_admin_key_acts_for_any_user() {
        ApiKey admin = key(Optional.empty(), AT);
        keys().insert(admin);

        assertThat(keys().anyAdmin()).isTrue();
        assertThat(keys().findByHash(admin.hash()).map(ApiKey::isAdmin)).contains(true);
    }

    @Test
    void R61_inserting_a_hash_that_is_stored_leaves_the_stored_key_as_it_is() {
        ApiKey first = key(Optional.of(newUser()), AT);
        keys().insert(first);
        ApiKey again = new ApiKey(newId("key"), first.hash(), Optional.empty(), Optional.empty(), AT.plusSeconds(1),
                Optional.empty(), Optional.empty());

        keys().insert(again);

        assertThat(keys().findByHash(first.hash())).contains(first);
    }

    @Test
    void R63_a_users_keys_are_listed_oldest_first_and_no_one_elses() {
        UserId user = newUser();
        ApiKey older = key(Optional.of(user), AT);
        ApiKey newer = key(Optional.of(user), AT.plusSeconds(60));
        ApiKey others = key(Optional.of(newUser()), AT);
        ApiKey admin = key(Optional.empty(), AT);
        keys().insert(newer);
        keys().insert(others);
        keys().insert(older);
        keys().insert(admin);

        assertThat(keys().list(Optional.of(user))).containsExactly(older, newer);
        assertThat(keys().list(Optional.empty())).contains(older, newer, others, admin);
        assertThat(keys().list(Optional.of(newUser()))).isEmpty();
    }

    @Test
    void R63_a_revoked_key_keeps_its_first_revocation_instant() {
        ApiKey key = key(Optional.of(newUser()), AT);
        keys().insert(key);

        Optional<ApiKey> revoked = keys().revoke(key.id(), AT.plusSeconds(5));
        Optional<ApiKey> again = keys().revoke(key.id(), AT.plusSeconds(9));

        assertThat(revoked.flatMap(ApiKey::revokedAt)).contains(AT.plusSeconds(5));
        assertThat(again).isEqualTo(revoked);
        assertThat(keys().findByHash(key.hash())).isEqualTo(revoked);
        assertThat(keys().revoke(newId("key"), AT)).isEmpty();
    }

    @Test
    void R63_revoking_an_admin_key_leaves_it_an_admin_key_that_is_revoked() {
        ApiKey admin = key(Optional.empty(), AT);
        keys().insert(admin);

        keys().revoke(admin.id(), AT.plusSeconds(1));

        ApiKey stored = keys().findByHash(admin.hash()).orElseThrow();
        assertThat(stored.isAdmin()).isTrue();
        assertThat(stored.isRevoked()).isTrue();
    }

    @Test
    void R63_last_use_is_written_only_when_the_one_known_is_stale() {
        ApiKey key = key(Optional.of(newUser()), AT);
        keys().insert(key);
        Instant first = AT.plusSeconds(10);

        keys().touch(key.id(), first, first.minusSeconds(60));
        keys().touch(key.id(), first.plusSeconds(30), first.minusSeconds(30));
        assertThat(lastUsed(key)).contains(first);

        keys().touch(key.id(), first.plusSeconds(61), first.plusSeconds(1));
        assertThat(lastUsed(key)).contains(first.plusSeconds(61));
        keys().touch(newId("key"), first, first);
    }

    private Optional<Instant> lastUsed(ApiKey key) {
        return keys().findByHash(key.hash()).flatMap(ApiKey::lastUsedAt);
    }
}
