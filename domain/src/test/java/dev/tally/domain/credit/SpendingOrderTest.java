package dev.tally.domain.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import dev.tally.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpendingOrderTest {

    private static final UserId USER = new UserId("acme");
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant TOMORROW = NOW.plus(Duration.ofDays(1));

    private static CreditGrant grant(String id, long amount, int priority, Instant expiresAt, Instant createdAt) {
        return CreditGrant.of(id, USER, CreditType.GRANT, amount,
                new GrantTerms(priority, Optional.ofNullable(expiresAt)), createdAt);
    }

    @Test
    void R35_a_100_credit_grant_expiring_tomorrow_is_spent_before_a_1000_credit_pack_without_expiry() {
        CreditGrant pack = grant("pack", 1000, 50, null, NOW.minusSeconds(3600));
        CreditGrant promo = grant("promo", 100, 50, TOMORROW, NOW);

        assertThat(SpendingOrder.draws(List.of(pack, promo), 130, NOW))
                .containsExactly(new Draw("promo", 100), new Draw("pack", 30));
    }

    @Test
    void R35_two_grants_of_equal_priority_and_expiry_spend_oldest_first() {
        CreditGrant newer = grant("newer", 10, 50, TOMORROW, NOW);
        CreditGrant older = grant("older", 10, 50, TOMORROW, NOW.minusSeconds(1));

        assertThat(SpendingOrder.draws(List.of(newer, older), 15, NOW))
                .containsExactly(new Draw("older", 10), new Draw("newer", 5));
    }

    @Test
    void R35_two_grants_made_at_the_same_instant_spend_in_the_order_they_were_stored_whatever_their_ids() {
        CreditGrant storedFirst = grant("txn_ffff", 10, 50, TOMORROW, NOW);
        CreditGrant storedSecond = grant("txn_0000", 10, 50, TOMORROW, NOW);

        assertThat(SpendingOrder.draws(List.of(storedFirst, storedSecond), 5, NOW))
                .containsExactly(new Draw("txn_ffff", 5));
    }

    @Test
    void R35_a_lower_priority_number_is_spent_first_whatever_its_expiry() {
        CreditGrant soon = grant("soon", 10, 50, TOMORROW, NOW);
        CreditGrant first = grant("first", 10, 0, null, NOW);

        assertThat(SpendingOrder.draws(List.of(soon, first), 12, NOW))
                .containsExactly(new Draw("first", 10), new Draw("soon", 2));
    }

    @Test
    void R36_a_spend_never_draws_from_a_grant_at_or_past_its_expiry() {
        CreditGrant lapsing = grant("lapsing", 10, 0, TOMORROW, NOW);
        CreditGrant pack = grant("pack", 10, 50, null, NOW);

        assertThat(SpendingOrder.draws(List.of(lapsing, pack), 5, TOMORROW)).containsExactly(new Draw("pack", 5));
        assertThat(lapsing.countingAt(TOMORROW.minusNanos(1))).isEqualTo(10);
        assertThat(lapsing.countingAt(TOMORROW)).isZero();
    }

    @Test
    void R36_a_refund_after_the_grant_expired_expires_at_once() {
        CreditGrant promo = grant("promo", 100, 50, TOMORROW, NOW);
        List<Draw> drawn = SpendingOrder.draws(List.of(promo), 40, NOW);
        CreditGrant spent = promo.drawn(40);

        List<Draw> returns = SpendingOrder.returns(drawn, Map.of(), 25);
        CreditGrant back = spent.returned(25);

        assertThat(returns).containsExactly(new Draw("promo", 25));
        assertThat(back.countingAt(NOW)).isEqualTo(85);
        assertThat(back.countingAt(TOMORROW)).as("returned after its expiry, it counts for nothing").isZero();
        assertThat(spent.lapsed().countingAt(NOW)).isZero();
    }

    @Test
    void R35_a_refund_returns_to_the_grants_drawn_from_last_drawn_first_never_more_than_drawn() {
        List<Draw> drawn = List.of(new Draw("promo", 100), new Draw("pack", 30));

        assertThat(SpendingOrder.returns(drawn, Map.of(), 50))
                .containsExactly(new Draw("pack", 30), new Draw("promo", 20));
        assertThat(SpendingOrder.returns(drawn, Map.of("pack", 30L, "promo", 20L), 200))
                .containsExactly(new Draw("promo", 80));
    }

    @Test
    void R35_priority_lies_between_0_and_100_and_expiry_in_the_next_ten_years() {
        assertThat(GrantTerms.requested(Optional.empty(), Optional.empty(), NOW)).isEqualTo(GrantTerms.DEFAULT);
        assertThatThrownBy(() -> GrantTerms.requested(Optional.of(101), Optional.empty(), NOW))
                .isInstanceOf(DomainException.class).hasFieldOrPropertyWithValue("code", "invalid_priority");
        assertThatThrownBy(() -> GrantTerms.requested(Optional.of(-1), Optional.empty(), NOW))
                .isInstanceOf(DomainException.class).hasFieldOrPropertyWithValue("code", "invalid_priority");
        assertThatThrownBy(() -> GrantTerms.requested(Optional.empty(), Optional.of(NOW), NOW))
                .isInstanceOf(DomainException.class).hasFieldOrPropertyWithValue("code", "invalid_expires_at");
        assertThatThrownBy(() -> GrantTerms.requested(Optional.empty(),
                Optional.of(Instant.parse("2036-03-10T12:00:01Z")), NOW))
                .isInstanceOf(DomainException.class).hasFieldOrPropertyWithValue("code", "invalid_expires_at");
        assertThat(GrantTerms.requested(Optional.of(0), Optional.of(Instant.parse("2036-03-10T12:00:00Z")), NOW)
                .priority()).isZero();
    }
}
