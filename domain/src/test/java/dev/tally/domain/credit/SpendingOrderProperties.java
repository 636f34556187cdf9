package dev.tally.domain.credit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** R35 and R36 as properties over random grants and spends. */
class SpendingOrderProperties {

    private static final UserId USER = new UserId("acme");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Provide
    Arbitrary<List<CreditGrant>> grants() {
        Arbitrary<CreditGrant> grant = Combinators.combine(Arbitraries.longs().between(1, 100),
                        Arbitraries.integers().between(0, 3).map(p -> p * 25),
                        Arbitraries.integers().between(-1, 10), Arbitraries.integers().between(0, 10))
                .as((amount, priority, expiryDay, createdDay) -> CreditGrant.of(
                        "g" + amount + "_" + priority + "_" + expiryDay + "_" + createdDay + "_" + System.nanoTime(),
                        USER, CreditType.GRANT, amount, new GrantTerms(priority,
                                expiryDay < 0 ? Optional.empty() : Optional.of(START.plusSeconds(86_400L * expiryDay))),
                        START.plusSeconds(86_400L * createdDay)));
        return grant.list().ofMaxSize(12);
    }

    @Property
    void R35_a_spend_drains_live_grants_in_spending_order_and_never_touches_an_expired_one(
            @ForAll("grants") List<CreditGrant> grants, @ForAll long seed) {
        Instant at = START.plusSeconds(86_400L * Math.floorMod(seed, 10));
        long live = grants.stream().mapToLong(g -> g.countingAt(at)).sum();
        long credits = 1 + Math.floorMod(seed >>> 8, 400);

        List<Draw> draws = SpendingOrder.draws(grants, credits, at);

        Map<String, CreditGrant> byId = new HashMap<>();
        grants.forEach(g -> byId.put(g.id(), g));
        assertThat(draws.stream().mapToLong(Draw::credits).sum()).isEqualTo(Math.min(credits, live));
        List<CreditGrant> order = grants.stream().filter(g -> g.liveAt(at)).sorted(SpendingOrder.ORDER).toList();
        for (int i = 0; i < draws.size(); i++) {
            CreditGrant grant = byId.get(draws.get(i).grantId());
            assertThat(grant.liveAt(at)).isTrue();
            assertThat(grant).isEqualTo(order.get(i));
            assertThat(draws.get(i).credits()).isLessThanOrEqualTo(grant.remaining());
            if (i < draws.size() - 1) {
                assertThat(draws.get(i).credits()).as("a grant is drained before the next is touched")
                        .isEqualTo(grant.remaining());
            }
        }
    }

    @Property
    void R35_refunds_give_back_exactly_what_was_drawn_and_never_more(
            @ForAll("grants") List<CreditGrant> grants, @ForAll long seed) {
        List<Draw> draws = SpendingOrder.draws(grants, 1 + Math.floorMod(seed, 300), START);
        Map<String, Long> returned = new HashMap<>();
        List<Long> refunds = new ArrayList<>();
        long drawn = draws.stream().mapToLong(Draw::credits).sum();
        for (long left = seed; left != 0 && refunds.size() < 5; left >>>= 7) {
            refunds.add(1L + Math.floorMod(left, 60L));
        }
        refunds.add(Long.valueOf(1_000));
        long given = 0;
        for (long refund : refunds) {
            for (Draw back : SpendingOrder.returns(draws, returned, refund)) {
                returned.merge(back.grantId(), back.credits(), Long::sum);
                given += back.credits();
            }
        }
        assertThat(given).isEqualTo(drawn);
        draws.forEach(d -> assertThat(returned.get(d.grantId())).isEqualTo(d.credits()));
    }
}
