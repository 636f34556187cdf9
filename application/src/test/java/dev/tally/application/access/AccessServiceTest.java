package dev.tally.application.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.port.ApiKey;
import dev.tally.application.user.PutUser;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys listed, revoked, rotated and their last use (R61, R63), over in-memory storage. */
class AccessServiceTest {

    private static final UserId ACME = new UserId("acme");
    private static final Instant START = Instant.parse("2026-11-10T09:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private AccessService access;

    @BeforeEach
    void setUp() {
        Tally tally = Tally.inMemory(clock);
        tally.plans().put(Plan.of(new PlanId("free"), "Free", new PlanLimits(Map.of())));
        tally.users().put(PutUser.of(ACME, new PlanId("free")));
        access = tally.access();
    }

    @Test
    void R61_R63_a_created_key_is_listed_by_id_and_prefix_and_never_by_plaintext() {
        CreatedKey created = access.createUserKey(ACME);

        assertThat(created.key()).startsWith(created.prefix());
        assertThat(created.prefix()).hasSize(ApiKey.PREFIX_LENGTH).startsWith("tly_");
        assertThat(created.createdAt()).isEqualTo(START);
        ApiKey listed = access.list(Optional.of(ACME)).get(0);
        assertThat(listed.id()).isEqualTo(created.id()).doesNotContain(created.key().substring(4));
        assertThat(listed.prefix()).contains(created.prefix());
        assertThat(listed.hash()).isEqualTo(AccessService.hash(created.key()));
        assertThat(listed.lastUsedAt()).isEmpty();
        assertThat(listed.revokedAt()).isEmpty();
    }

    @Test
    void R63_a_short_operator_key_keeps_at_most_a_quarter_of_it_as_prefix() {
        assertThat(ApiKey.prefixOf("operator-chosen-k")).isEqualTo("opera");
        assertThat(ApiKey.prefixOf("tly_" + "a".repeat(43))).isEqualTo("tly_aaaaaaaa");
    }

    @Test
    void R63_a_revoked_key_authenticates_nothing_and_revoking_again_answers_the_same() {
        CreatedKey created = access.createUserKey(ACME);
        assertThat(access.authenticate(created.key())).contains(Principal.of(ACME));
        clock.advance(Duration.ofSeconds(5));

        ApiKey revoked = access.revoke(created.id());
        clock.advance(Duration.ofSeconds(5));
        ApiKey again = access.revoke(created.id());

        assertThat(access.authenticate(created.key())).isEmpty();
        assertThat(revoked.revokedAt()).contains(START.plusSeconds(5));
        assertThat(again).isEqualTo(revoked);
    }

    @Test
    void R63_an_unknown_key_id_or_user_is_404() {
        assertThatThrownBy(() -> access.revoke("key_nope")).isInstanceOf(DomainException.class)
                .extracting("code").isEqualTo("api_key_not_found");
        assertThatThrownBy(() -> access.list(Optional.of(new UserId("ghost")))).isInstanceOf(DomainException.class)
                .extracting("code").isEqualTo("user_not_found");
    }

    @Test
    void R63_last_use_is_recorded_at_most_once_a_minute() {
        CreatedKey created = access.createUserKey(ACME);

        access.authenticate(created.key());
        clock.advance(Duration.ofSeconds(59));
        access.authenticate(created.key());
        assertThat(lastUsed()).contains(START);

        clock.advance(Duration.ofSeconds(2));
        access.authenticate(created.key());
        assertThat(lastUsed()).contains(START.plusSeconds(61));
    }

    @Test
    void R63_installing_a_new_admin_key_revokes_the_one_it_replaces_and_a_revoked_one_stays_revoked() {
        String generated = access.createAdminKey();
        access.installAdminKey("operator-key-A-0123456789");
        assertThat(access.authenticate(generated)).isEmpty();

        access.installAdminKey("operator-key-B-0123456789");
        access.installAdminKey("operator-key-B-0123456789");

        assertThat(access.authenticate("operator-key-A-0123456789")).isEmpty();
        assertThat(access.authenticate("operator-key-B-0123456789")).contains(Principal.ADMIN);
        List<ApiKey> admins = access.list(Optional.empty()).stream().filter(ApiKey::isAdmin).toList();
        assertThat(admins).hasSize(3).filteredOn(key -> !key.isRevoked()).hasSize(1);
        assertThatThrownBy(() -> access.installAdminKey("operator-key-A-0123456789"))
                .isInstanceOf(DomainException.class).extracting("code").isEqualTo("admin_key_revoked");
        assertThat(access.authenticate("operator-key-B-0123456789")).as("a refused install changes nothing")
                .contains(Principal.ADMIN);
    }

    @Test
    void R63_installing_the_admin_key_leaves_user_keys_alone() {
        CreatedKey user = access.createUserKey(ACME);

        access.installAdminKey("operator-key-A-0123456789");

        assertThat(access.authenticate(user.key())).contains(Principal.of(ACME));
    }

    @Test
    void R63_with_every_admin_key_revoked_there_is_no_admin_key() {
        String generated = access.createAdminKey();
        assertThat(access.hasAdminKey()).isTrue();
        String id = access.list(Optional.empty()).stream().filter(ApiKey::isAdmin).findFirst().orElseThrow().id();

        access.revoke(id);

        assertThat(access.hasAdminKey()).isFalse();
        assertThat(access.authenticate(generated)).isEmpty();
    }

    private Optional<Instant> lastUsed() {
        return access.list(Optional.of(ACME)).get(0).lastUsedAt();
    }
}
