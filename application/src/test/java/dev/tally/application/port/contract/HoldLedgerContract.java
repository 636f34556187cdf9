package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.Denied;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.port.ReserveResult;
import dev.tally.application.port.UsageLedger;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.Reservation;
import dev.tally.domain.usage.ReservationState;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageLedger} promises of holds that expire (R71): they count in
 * {@code reserved} until committed, released or ended by {@link UsageLedger#expire}; from their
 * expiry on {@link UsageLedger#expired} reports them and a commit or release refuses them.
 */
public abstract class HoldLedgerContract {

    private static final MetricKey TOKENS = new MetricKey("tokens");
    private static final Instant AT = MARCH.start().plus(Duration.ofDays(3));
    private static final Instant EXPIRES = AT.plus(Duration.ofMinutes(10));

    protected abstract UsageLedger ledger();

    private ReserveResult hold(UserId user, String id, long quantity, long limit) {
        return ledger().hold(user, id, TOKENS, BigDecimal.valueOf(quantity), AT, EXPIRES, MARCH, Limit.of(limit));
    }

    private UsageTotals totals(UserId user) {
        return ledger().totals(user, TOKENS, MARCH);
    }

    @Test
    void R71_a_hold_counts_as_reserved_and_is_stored_with_its_expiry() {
        UserId user = newUser();

        assertThat(hold(user, "res_a", 40, 100)).isInstanceOf(ReserveResult.Reserved.class);

        assertThat(totals(user).reserved()).isEqualByComparingTo("40");
        Reservation stored = ledger().reservation(user, "res_a").orElseThrow();
        assertThat(stored.state()).isEqualTo(ReservationState.HELD);
        assertThat(stored.quantity()).isEqualByComparingTo("40");
        assertThat(stored.heldAt()).isEqualTo(AT);
        assertThat(stored.expiresAt()).isEqualTo(EXPIRES);
        assertThat(ledger().reservation(newUser(), "res_a")).isEmpty();
    }

    @Test
    void R71_a_commit_records_part_of_the_hold_and_releases_the_rest() {
        UserId user = newUser();
        hold(user, "res_a", 40, 100);

        assertThat(ledger().commit(user, "res_a", BigDecimal.valueOf(25), "reservation:res_a", AT))
                .hasValueSatisfying(raised -> {
                    assertThat(raised.added()).isEqualByComparingTo("25");
                    assertThat(raised.usedAfter()).isEqualByComparingTo("25");
                });
        assertThat(ledger().commit(user, "res_a", BigDecimal.valueOf(25), "reservation:res_a", AT)).isEmpty();

        assertThat(totals(user).used()).isEqualByComparingTo("25");
        assertThat(totals(user).reserved()).isZero();
        Reservation stored = ledger().reservation(user, "res_a").orElseThrow();
        assertThat(stored.state()).isEqualTo(ReservationState.COMMITTED);
        assertThat(stored.committedQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("25"));
    }

    @Test
    void R71_a_commit_of_nothing_and_a_release_record_no_usage() {
        UserId user = newUser();
        hold(user, "res_a", 40, 100);
        hold(user, "res_b", 30, 100);

        assertThat(ledger().commit(user, "res_a", BigDecimal.ZERO, "reservation:res_a", AT)).isPresent();
        assertThat(ledger().release(user, "res_b", AT)).isTrue();
        assertThat(ledger().release(user, "res_b", AT)).isFalse();

        assertThat(totals(user).used()).isZero();
        assertThat(totals(user).reserved()).isZero();
        assertThat(ledger().reservation(user, "res_b").orElseThrow().state()).isEqualTo(ReservationState.RELEASED);
    }

    @Test
    void R71_from_its_expiry_a_hold_is_reported_expired_cannot_be_ended_and_expire_takes_it_out() {
        UserId user = newUser();
        hold(user, "res_a", 40, 100);
        hold(user, "res_b", 30, 100);
        ledger().hold(user, "res_c", TOKENS, BigDecimal.TEN, AT, EXPIRES.plusSeconds(1), MARCH, Limit.of(100));

        assertThat(ledger().expired(user, MARCH, EXPIRES.minusNanos(1))).isEmpty();
        assertThat(ledger().expired(user, MARCH, EXPIRES)).containsOnlyKeys(TOKENS);
        assertThat(ledger().expired(user, MARCH, EXPIRES).get(TOKENS)).isEqualByComparingTo("70");
        assertThat(ledger().commit(user, "res_a", BigDecimal.ONE, "reservation:res_a", EXPIRES)).isEmpty();
        assertThat(ledger().release(user, "res_b", EXPIRES)).isFalse();

        assertThat(ledger().expire(user, TOKENS, MARCH, EXPIRES)).isEqualTo(2);
        assertThat(ledger().expire(user, TOKENS, MARCH, EXPIRES)).isZero();

        assertThat(totals(user)).usingRecursiveComparison().withComparatorForType(BigDecimal::compareTo,
                BigDecimal.class).isEqualTo(new UsageTotals(BigDecimal.ZERO, BigDecimal.TEN));
        assertThat(ledger().expired(user, MARCH, EXPIRES)).isEmpty();
        assertThat(ledger().reservation(user, "res_a").orElseThrow().state()).isEqualTo(ReservationState.EXPIRED);
        assertThat(ledger().reconcile(false, ReconcileProgress.NONE).drifts())
                .noneMatch(drift -> drift.user().equals(user));
    }

    @Test
    void R71_a_hold_past_the_limit_is_denied_with_the_figures_it_was_checked_against() {
        UserId user = newUser();
        hold(user, "res_a", 60, 100);

        assertThat(hold(user, "res_b", 41, 100)).isInstanceOfSatisfying(Denied.class,
                denied -> {
                    assertThat(denied.current().reserved()).isEqualByComparingTo("60");
                    assertThat(denied.requested()).isEqualByComparingTo("41");
                });
        assertThat(ledger().reservation(user, "res_b")).isEmpty();
        assertThat(totals(user).reserved()).isEqualByComparingTo("60");
    }
}
