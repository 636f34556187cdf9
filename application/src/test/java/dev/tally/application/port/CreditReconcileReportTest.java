package dev.tally.application.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.CreditReconcileReport.DrawFact;
import dev.tally.application.port.CreditReconcileReport.Drift;
import dev.tally.application.port.CreditReconcileReport.Kind;
import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.GrantTerms;
import dev.tally.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The credit reconcile's rules (R30–R36) on hand-made ledgers, every kind of drift found and nothing else. */
class CreditReconcileReportTest {

    private static final UserId ANN = new UserId("ann");
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant EXPIRES = NOW.plus(Duration.ofDays(1));

    private static CreditGrant grant(String id, long amount, long remaining, boolean expired) {
        return new CreditGrant(id, ANN, CreditType.GRANT, amount, remaining,
                new GrantTerms(50, Optional.of(EXPIRES)), NOW, expired);
    }

    private static DrawFact usage(String entry, String grant, long credits, long returned, Instant at) {
        return new DrawFact(entry, CreditType.USAGE, at, grant, credits, returned);
    }

    private static DrawFact expiry(String entry, String grant, long credits) {
        return new DrawFact(entry, CreditType.EXPIRY, EXPIRES, grant, credits, 0);
    }

    /**
     * A grant of 100: 30 spent, 10 refunded before expiry, the 80 left written off at expiry, then
     * 5 refunded into the lapsed grant and written off at once. Balance 0 by its entries.
     */
    private static CreditReconcileReport ledger(long balance, long remaining, boolean expired, Instant spentAt) {
        return CreditReconcileReport.check(Map.of(ANN, balance), Map.of(ANN, 0L),
                List.of(grant("g", 100, remaining, expired)),
                List.of(usage("u", "g", 30, 15, spentAt), expiry(CreditGrant.expiryId("g"), "g", 80),
                        expiry(CreditGrant.expiryId("r:g"), "g", 5)));
    }

    @Test
    void R30_R36_a_ledger_in_agreement_reports_nothing() {
        CreditReconcileReport report = ledger(0, 80, true, NOW);

        assertThat(report.drifts()).isEmpty();
        assertThat(report.users()).isEqualTo(1);
        assertThat(report.grants()).isEqualTo(1);
    }

    @Test
    void R31_a_balance_that_is_not_the_sum_of_its_entries_is_reported() {
        assertThat(ledger(3, 80, true, NOW).drifts()).containsExactly(new Drift(ANN, Kind.BALANCE, Optional.empty(),
                3, 0));
    }

    @Test
    void R35_R36_a_remainder_that_disagrees_with_draws_refunds_and_expiries_is_reported() {
        assertThat(ledger(0, 80, false, NOW).drifts()).as("not written off though its expiry entry says so")
                .containsExactly(new Drift(ANN, Kind.GRANT_REMAINING, Optional.of("g"), 80, 0));
        assertThat(ledger(0, 79, true, NOW).drifts()).as("lapsed other than its expiry entry")
                .containsExactly(new Drift(ANN, Kind.GRANT_LAPSED, Optional.of("g"), 79, 80));
        CreditReconcileReport live = CreditReconcileReport.check(Map.of(), Map.of(),
                List.of(grant("h", 100, 75, false)), List.of(usage("u", "h", 30, 10, NOW)));
        assertThat(live.drifts()).containsExactly(new Drift(ANN, Kind.GRANT_REMAINING, Optional.of("h"), 75, 80));
    }

    @Test
    void R36_a_draw_at_or_after_the_grants_expiry_is_reported_and_one_just_before_is_not() {
        assertThat(ledger(0, 80, true, EXPIRES.minusNanos(1)).drifts()).isEmpty();
        assertThat(ledger(0, 80, true, EXPIRES).drifts()).containsExactly(new Drift(ANN, Kind.DRAW_AFTER_EXPIRY,
                Optional.of("g by u"), 30, 0));
    }
}
