package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.IdempotencyStore;
import dev.tally.application.port.IdempotencyStore.Claim;
import dev.tally.application.port.IdempotencyStore.Claimed;
import dev.tally.application.port.IdempotencyStore.InFlight;
import dev.tally.application.port.IdempotencyStore.Replay;
import dev.tally.application.port.IdempotencyStore.Reused;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link IdempotencyStore} promises (R20). */
public abstract class IdempotencyStoreContract {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00.123456789Z");
    private static final IdempotencyKey KEY = new IdempotencyKey("key-1");

    protected abstract IdempotencyStore store();

    @Test
    void R20_a_fresh_key_is_claimed_and_a_retry_in_flight_is_told_so() {
        UserId user = newUser();
        assertThat(store().claim(user, KEY, "fp", NOW)).isInstanceOf(Claimed.class);
        assertThat(store().claim(user, KEY, "fp", NOW.plusSeconds(1))).isInstanceOf(InFlight.class);
        assertThat(store().claim(user, KEY, "other", NOW.plusSeconds(1))).isInstanceOf(Reused.class);
    }

    @Test
    void R20_a_completed_key_replays_its_result_for_the_same_payload_only() {
        UserId user = newUser();
        store().claim(user, KEY, "fp", NOW);
        store().complete(user, KEY, "{\"id\":\"tx-1\"}");

        assertThat(store().claim(user, KEY, "fp", NOW.plusSeconds(3600))).isEqualTo(new Replay("{\"id\":\"tx-1\"}"));
        assertThat(store().claim(user, KEY, "other", NOW.plusSeconds(3600))).isInstanceOf(Reused.class);
    }

    @Test
    void R20_a_released_claim_may_be_claimed_again_but_a_completed_one_stays() {
        UserId user = newUser();
        store().claim(user, KEY, "fp", NOW);
        store().release(user, KEY);
        assertThat(store().claim(user, KEY, "other", NOW)).isInstanceOf(Claimed.class);

        store().complete(user, KEY, "done");
        store().release(user, KEY);
        assertThat(store().claim(user, KEY, "other", NOW)).isEqualTo(new Replay("done"));
    }

    @Test
    void R20_a_claim_older_than_the_lease_may_be_taken_over() {
        UserId user = newUser();
        store().claim(user, KEY, "fp", NOW);

        assertThat(store().claim(user, KEY, "fp", NOW.plus(IdempotencyStore.LEASE))).isInstanceOf(InFlight.class);
        Instant expired = NOW.plus(IdempotencyStore.LEASE).plusNanos(1);
        assertThat(store().claim(user, KEY, "other", expired)).isInstanceOf(Reused.class);
        assertThat(store().claim(user, KEY, "fp", expired)).isInstanceOf(Claimed.class);
        assertThat(store().claim(user, KEY, "fp", expired.plusSeconds(1))).isInstanceOf(InFlight.class);
    }

    @Test
    void R20_keys_are_scoped_per_user() {
        UserId first = newUser();
        UserId second = newUser();
        store().claim(first, KEY, "fp", NOW);
        store().complete(first, KEY, "first");

        assertThat(store().claim(second, KEY, "other", NOW)).isInstanceOf(Claimed.class);
    }

    @Test
    void R20_of_32_concurrent_claims_of_one_key_exactly_one_wins() throws Exception {
        UserId user = newUser();
        List<Claim> claims = concurrently(32, 32, i -> () -> store().claim(user, KEY, "fp", NOW));

        assertThat(claims).filteredOn(Claimed.class::isInstance).hasSize(1);
        assertThat(claims).filteredOn(InFlight.class::isInstance).hasSize(31);
    }
}
