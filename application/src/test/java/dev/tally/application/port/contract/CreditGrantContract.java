package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.APRIL;
import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditEntry;
import dev.tally.application.port.CreditReconcileReport;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.Draw;
import dev.tally.domain.credit.GrantTerms;
import dev.tally.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What every credit store promises about grants (R35–R37), on one node and across two. */
public abstract class CreditGrantContract {

    private static final Instant NOW = MARCH.start().plusSeconds(3600);
    private static final Instant TOMORROW = NOW.plus(Duration.ofDays(1));

    protected abstract CreditTransactionRepository credits();

    /** The same store as another API node sees it; the same object where there is one node. */
    protected abstract CreditTransactionRepository otherNode();

    private static CreditEntry grant(UserId user, long amount, int priority, Instant expiresAt, Instant at) {
        return new CreditEntry(newId("tx"), user, CreditType.GRANT, amount, Optional.empty(), Optional.empty(),
                Optional.empty(), at, false, new GrantTerms(priority, Optional.ofNullable(expiresAt)), Optional.empty());
    }

    private static CreditEntry purchase(UserId user, long amount, Instant at) {
        return new CreditEntry(newId("tx"), user, CreditType.PURCHASE, amount, Optional.empty(), Optional.empty(),
                Optional.empty(), at, false);
    }

    private static CreditEntry spend(UserId user, long credits, Instant at) {
        return new CreditEntry(newId("tx"), user, CreditType.USAGE, -credits, Optional.of("export"), Optional.empty(),
                Optional.empty(), at, true);
    }

    private static CreditEntry periodGrant(UserId user, long amount, Instant periodStart, Instant expiresAt) {
        return new CreditEntry(newId("tx"), user, CreditType.GRANT, amount, Optional.empty(), Optional.empty(),
                Optional.empty(), periodStart, false, new GrantTerms(50, Optional.of(expiresAt)),
                Optional.of(periodStart));
    }

    private CreditTransaction append(CreditEntry entry) {
        CreditAppend result = credits().append(entry);
        assertThat(result).isInstanceOf(CreditAppend.Appended.class);
        return ((CreditAppend.Appended) result).transaction();
    }

    private CreditTransaction refund(UserId user, CreditTransaction usage, long credits, Instant at) {
        assertThat(credits().addRefunded(usage.id(), credits)).isTrue();
        return append(new CreditEntry(newId("tx"), user, CreditType.REFUND, credits, usage.operation(),
                Optional.of(usage.id()), Optional.empty(), at, false));
    }

    private Map<String, CreditGrant> grants(UserId user) {
        return credits().grants(user, 100, 0).stream().collect(Collectors.toMap(CreditGrant::id, Function.identity()));
    }

    private long expiries(UserId user) {
        return credits().page(user, 100, 0).stream().filter(t -> t.type() == CreditType.EXPIRY).count();
    }

    @Test
    void R35_a_spend_draws_the_grant_expiring_tomorrow_before_a_pack_without_expiry_and_records_drawn_from() {
        UserId user = newUser();
        CreditTransaction pack = append(purchase(user, 1000, NOW.minusSeconds(60)));
        CreditTransaction promo = append(grant(user, 100, 50, TOMORROW, NOW));

        CreditTransaction spent = append(spend(user, 130, NOW.plusSeconds(1)));

        List<Draw> expected = List.of(new Draw(promo.id(), 100), new Draw(pack.id(), 30));
        assertThat(spent.drawnFrom()).isEqualTo(expected);
        assertThat(credits().find(user, spent.id()).orElseThrow().drawnFrom()).isEqualTo(expected);
        assertThat(credits().page(user, 1, 0).get(0).drawnFrom()).isEqualTo(expected);
        assertThat(grants(user).get(promo.id()).remaining()).isZero();
        assertThat(grants(user).get(pack.id()).remaining()).isEqualTo(970);
        assertThat(grants(user).get(promo.id()).expiresAt()).contains(TOMORROW);
        assertThat(credits().balance(user)).isEqualTo(970);
    }

    @Test
    void R35_two_grants_of_equal_priority_and_expiry_spend_oldest_first_and_priority_goes_before_both() {
        UserId user = newUser();
        CreditTransaction older = append(grant(user, 10, 50, TOMORROW, NOW));
        CreditTransaction newer = append(grant(user, 10, 50, TOMORROW, NOW.plusSeconds(1)));
        CreditTransaction first = append(grant(user, 5, 0, null, NOW.plusSeconds(2)));

        CreditTransaction spent = append(spend(user, 18, NOW.plusSeconds(3)));

        assertThat(spent.drawnFrom()).containsExactly(new Draw(first.id(), 5), new Draw(older.id(), 10),
                new Draw(newer.id(), 3));
    }

    @Test
    void R35_a_refund_gives_credits_back_to_the_grants_its_usage_drew_from() {
        UserId user = newUser();
        CreditTransaction pack = append(purchase(user, 1000, NOW.minusSeconds(60)));
        CreditTransaction promo = append(grant(user, 100, 50, TOMORROW, NOW));
        CreditTransaction spent = append(spend(user, 130, NOW.plusSeconds(1)));

        refund(user, spent, 50, NOW.plusSeconds(2));

        assertThat(grants(user).get(pack.id()).remaining()).isEqualTo(1000);
        assertThat(grants(user).get(promo.id()).remaining()).isEqualTo(20);
        assertThat(credits().balance(user)).isEqualTo(1020);
        assertThat(expiries(user)).isZero();
    }

    @Test
    void R36_the_balance_at_an_instant_excludes_a_lapsed_remainder_before_any_sweep_and_no_spend_draws_it() {
        UserId user = newUser();
        append(grant(user, 100, 0, TOMORROW, NOW));
        append(purchase(user, 10, NOW));

        assertThat(credits().balance(user, TOMORROW.minusNanos(1))).isEqualTo(110);
        assertThat(credits().balance(user, TOMORROW)).isEqualTo(10);
        assertThat(expiries(user)).as("nothing swept yet").isZero();

        assertThat(credits().append(spend(user, 11, TOMORROW))).isEqualTo(new CreditAppend.Insufficient(10));
        CreditTransaction spent = append(spend(user, 10, TOMORROW));
        assertThat(spent.drawnFrom()).extracting(Draw::credits).containsExactly(10L);
        assertThat(credits().balance(user)).isZero();
        assertThat(expiries(user)).isEqualTo(1);
    }

    @Test
    void R36_a_refund_after_the_grant_expired_expires_at_once() {
        UserId user = newUser();
        CreditTransaction promo = append(grant(user, 100, 50, TOMORROW, NOW));
        CreditTransaction spent = append(spend(user, 40, NOW.plusSeconds(1)));
        assertThat(credits().expire(user, TOMORROW)).extracting(CreditTransaction::amount).containsExactly(-60L);

        refund(user, spent, 25, TOMORROW.plusSeconds(1));

        assertThat(credits().balance(user)).isZero();
        assertThat(credits().balance(user, TOMORROW.plusSeconds(2))).isZero();
        assertThat(grants(user).get(promo.id()).countingAt(TOMORROW.plusSeconds(2))).isZero();
        assertThat(grants(user).get(promo.id()).remaining()).as("what lapsed").isEqualTo(60);
        List<CreditTransaction> newestFirst = credits().page(user, 10, 0);
        assertThat(newestFirst.get(0).type()).isEqualTo(CreditType.EXPIRY);
        assertThat(newestFirst.get(0).amount()).isEqualTo(-25);
        assertThat(newestFirst.get(0).drawnFrom()).containsExactly(new Draw(promo.id(), 25));
        assertThat(newestFirst.get(1).type()).isEqualTo(CreditType.REFUND);
    }

    @Test
    void R36_a_lapsed_grant_is_written_off_exactly_once_whichever_node_or_request_gets_there_first() throws Exception {
        UserId user = newUser();
        append(grant(user, 100, 50, TOMORROW, NOW));
        append(purchase(user, 1000, NOW));

        List<Integer> written = concurrently(16, 64, i -> () -> {
            CreditTransactionRepository node = i % 2 == 0 ? credits() : otherNode();
            if (i % 4 == 1) {
                CreditAppend result = node.append(spend(user, 1, TOMORROW.plusSeconds(i)));
                return ((CreditAppend.Appended) result).expired().size();
            }
            return node.expire(user, TOMORROW.plusSeconds(i)).size();
        });

        assertThat(written.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
        assertThat(expiries(user)).isEqualTo(1);
        assertThat(credits().balance(user)).isEqualTo(1000 - 16);
        assertThat(otherNode().balance(user, TOMORROW.plusSeconds(100))).isEqualTo(1000 - 16);
    }

    @Test
    void R37_the_first_requests_of_a_period_racing_on_two_nodes_create_exactly_one_grant() throws Exception {
        UserId user = newUser();

        List<Boolean> created = concurrently(16, 64, i -> () -> {
            CreditTransactionRepository node = i % 2 == 0 ? credits() : otherNode();
            return node.append(periodGrant(user, 500, APRIL.start(), APRIL.end())) instanceof CreditAppend.Appended;
        });

        assertThat(created.stream().filter(b -> b).count()).isEqualTo(1);
        assertThat(credits().balance(user)).isEqualTo(500);
        assertThat(credits().periodGrant(user, APRIL.start()).orElseThrow().amount()).isEqualTo(500);
        assertThat(credits().latestPeriodGranted(user)).contains(APRIL.start());
        assertThat(credits().periodGrant(user, MARCH.start())).isEmpty();
    }

    @Test
    void R31_many_spends_racing_on_two_nodes_drain_the_grants_exactly_and_never_below_zero() throws Exception {
        UserId user = newUser();
        for (int i = 0; i < 5; i++) {
            append(grant(user, 10, 50 - i, TOMORROW, NOW));
        }

        List<Boolean> spent = concurrently(16, 64, i -> () -> {
            CreditTransactionRepository node = i % 2 == 0 ? credits() : otherNode();
            return node.append(spend(user, 1, NOW.plusSeconds(1))) instanceof CreditAppend.Appended;
        });

        assertThat(spent.stream().filter(b -> b).count()).isEqualTo(50);
        assertThat(credits().balance(user)).isZero();
        assertThat(grants(user).values()).allSatisfy(g -> assertThat(g.remaining()).isZero());
    }

    /** What a reconcile of the whole store found about {@code user} (other tests' users share the store). */
    protected List<CreditReconcileReport.Drift> driftsOf(UserId user) {
        return credits().reconcile().drifts().stream().filter(d -> d.user().equals(user)).toList();
    }

    @Test
    void R30_R36_reconcile_finds_grants_spends_refunds_and_expiries_in_agreement_with_their_entries() {
        UserId user = newUser();
        CreditTransaction pack = append(purchase(user, 1000, NOW.minusSeconds(60)));
        CreditTransaction promo = append(grant(user, 100, 10, TOMORROW, NOW));
        append(grant(user, 50, 90, TOMORROW.plus(Duration.ofDays(30)), NOW));
        CreditTransaction spent = append(spend(user, 60, NOW.plusSeconds(1)));
        refund(user, spent, 20, NOW.plusSeconds(2));
        CreditTransaction late = append(spend(user, 40, NOW.plusSeconds(3)));
        assertThat(credits().expire(user, TOMORROW)).extracting(CreditTransaction::amount).containsExactly(-20L);
        refund(user, late, 40, TOMORROW.plusSeconds(1));
        append(spend(user, 1007, TOMORROW.plusSeconds(2)));

        assertThat(grants(user).get(promo.id()).expired()).isTrue();
        assertThat(grants(user).get(promo.id()).remaining()).as("what lapsed").isEqualTo(20);
        assertThat(grants(user).get(pack.id()).remaining()).isZero();
        assertThat(credits().balance(user)).isEqualTo(43);
        CreditReconcileReport report = credits().reconcile();
        assertThat(report.users()).isPositive();
        assertThat(report.grants()).isGreaterThanOrEqualTo(3);
        assertThat(driftsOf(user)).isEmpty();
    }

    @Test
    void R31_R36_reconcile_is_clean_after_spends_racing_on_two_nodes_across_an_expiry() throws Exception {
        UserId user = newUser();
        append(grant(user, 100, 10, TOMORROW, NOW));
        append(purchase(user, 500, NOW));

        concurrently(16, 64, i -> () -> (i % 2 == 0 ? credits() : otherNode())
                .append(spend(user, 3, (i % 3 == 0 ? TOMORROW : NOW).plusSeconds(i))));

        assertThat(driftsOf(user)).isEmpty();
    }

    @Test
    void R35_R36_the_live_grants_come_in_spending_order_without_drained_or_lapsed_ones() {
        UserId user = newUser();
        CreditTransaction pack = append(purchase(user, 1000, NOW.minusSeconds(60)));
        CreditTransaction promo = append(grant(user, 100, 5, TOMORROW, NOW));
        CreditTransaction later = append(grant(user, 30, 5, TOMORROW.plusSeconds(60), NOW));
        append(grant(user, 20, 0, null, NOW));
        append(spend(user, 25, NOW.plusSeconds(1)));

        assertThat(credits().liveGrants(user, NOW.plusSeconds(2), 10)).extracting(CreditGrant::id, CreditGrant::remaining)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(promo.id(), 95L),
                        org.assertj.core.groups.Tuple.tuple(later.id(), 30L),
                        org.assertj.core.groups.Tuple.tuple(pack.id(), 1000L));
        assertThat(credits().liveGrants(user, NOW.plusSeconds(2), 1)).extracting(CreditGrant::id)
                .containsExactly(promo.id());
        assertThat(credits().liveGrants(user, TOMORROW, 10)).as("lapsed at its instant, before any sweep")
                .extracting(CreditGrant::id).containsExactly(later.id(), pack.id());
    }
}
