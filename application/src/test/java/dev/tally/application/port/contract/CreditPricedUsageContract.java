package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.credit.CreditWrite;
import dev.tally.application.credit.PeriodSelector;
import dev.tally.application.entitlement.CheckEntitlement;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.UsageRecorded;
import dev.tally.application.usage.VoidRecord;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.usecase.Paging;
import dev.tally.application.user.PutUser;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.CreditsShortfall;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.entitlement.Entitlement;
import dev.tally.domain.plan.CreditPrices;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricRates;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.RecordId;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credit-priced metrics (R38) on every storage: an enforced record of a priced metric spends
 * {@code quantity × price} credits in the same transaction as its usage, drawn from the grants in
 * spending order (R35), or the whole write is refused with nothing changed; a retry spends once
 * (R20), usage by operation shows the spends under the metric (R33), a check answers from the
 * balance (R70), and a void gives the credits back (R92).
 */
public abstract class CreditPricedUsageContract {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:10Z");
    private static final MetricKey EXPORTS = new MetricKey("exports");
    private static final MetricKey SEARCHES = new MetricKey("searches");

    protected abstract TallyStorage storage();

    /** The same storage as another API node sees it; the same one where there is one node. */
    protected TallyStorage otherNode() {
        return storage();
    }

    private final ManualClock clock = new ManualClock(NOW);
    private Tally tally;
    private UserId user;
    private PlanId plan;

    @BeforeEach
    void setUp() {
        tally = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        plan = new PlanId(newId("plan"));
        user = newUser();
        tally.plans().put(Plan.of(plan, "Priced", new PlanLimits(Map.of(EXPORTS, Limit.of(1_000))))
                .withCreditPrices(new CreditPrices(Map.of(EXPORTS, 3L))));
        tally.users().put(PutUser.of(user, plan));
    }

    private void buy(long credits) {
        assertThat(tally.credits().write(CreditWrite.purchase(user, credits, new IdempotencyKey(newId("buy")))))
                .isInstanceOf(Outcome.Done.class);
    }

    private static UsageItem item(MetricKey metric, String quantity, String key) {
        return new UsageItem(metric, new BigDecimal(quantity), Optional.empty(), new IdempotencyKey(key), Map.of());
    }

    private Outcome<UsageRecorded> record(Tally on, UsageItem... items) {
        return on.usage().record(new RecordUsage(user, List.of(items), true));
    }

    private Outcome<UsageRecorded> record(UsageItem... items) {
        return record(tally, items);
    }

    private BigDecimal used(MetricKey metric) {
        return tally.entitlements().check(new CheckEntitlement(user, metric, BigDecimal.ONE)).usage().used();
    }

    private long balance() {
        return tally.credits().balance(user);
    }

    private List<CreditTransaction> spends() {
        return tally.credits().transactions(user, new Paging(100, 0)).transactions().stream()
                .filter(t -> t.type() == CreditType.USAGE).toList();
    }

    private static CreditsShortfall shortfall(Outcome<?> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        assertThat(((Outcome.Refused<?>) outcome).refusal()).isInstanceOf(CreditsShortfall.class);
        return (CreditsShortfall) ((Outcome.Refused<?>) outcome).refusal();
    }

    @Test
    void R38_a_priced_record_spends_quantity_times_price_drawn_from_the_grants_and_the_balance_is_exact() {
        buy(10);
        assertThat(record(item(EXPORTS, "2", "a"))).isInstanceOf(Outcome.Done.class);

        assertThat(balance()).isEqualTo(4);
        assertThat(used(EXPORTS)).isEqualByComparingTo("2");
        CreditTransaction spend = spends().get(0);
        assertThat(spend.amount()).isEqualTo(-6);
        assertThat(spend.operation()).contains("exports");
        assertThat(spend.drawnFrom()).hasSize(1);
        assertThat(spend.drawnFrom().get(0).credits()).isEqualTo(6);
    }

    @Test
    void R38_a_record_the_balance_cannot_pay_for_is_402_with_balance_and_required_and_changes_nothing() {
        buy(5);
        CreditsShortfall refused = shortfall(record(item(EXPORTS, "2", "a")));

        assertThat(refused.code()).isEqualTo("insufficient_credits");
        assertThat(refused.balance()).isEqualTo(5);
        assertThat(refused.required()).isEqualTo(BigInteger.valueOf(6));
        assertThat(refused.metric()).isEqualTo(EXPORTS);
        assertThat(refused.limit()).contains(new BigDecimal("1000"));
        assertThat(refused.requested()).isEqualByComparingTo("2");
        assertThat(balance()).isEqualTo(5);
        assertThat(used(EXPORTS)).isEqualByComparingTo("0");
        assertThat(spends()).isEmpty();
        // The same key is free: the refused record was never stored.
        buy(1);
        assertThat(record(item(EXPORTS, "2", "a"))).isInstanceOf(Outcome.Done.class);
        assertThat(balance()).isZero();
    }

    @Test
    void R38_a_batch_is_paid_whole_or_refused_whole_with_its_unpriced_records() {
        buy(8);
        CreditsShortfall refused = shortfall(record(item(SEARCHES, "1", "s"), item(EXPORTS, "1", "a"),
                item(EXPORTS, "2", "b")));
        assertThat(refused.required()).isEqualTo(BigInteger.valueOf(9));
        assertThat(refused.requested()).isEqualByComparingTo("3");
        assertThat(used(SEARCHES)).isEqualByComparingTo("0");
        assertThat(used(EXPORTS)).isEqualByComparingTo("0");
        assertThat(balance()).isEqualTo(8);

        assertThat(record(item(SEARCHES, "1", "s"), item(EXPORTS, "1", "a"), item(EXPORTS, "1", "b")))
                .isInstanceOf(Outcome.Done.class);
        assertThat(balance()).isEqualTo(2);
        assertThat(spends()).hasSize(2);
    }

    @Test
    void R38_R20_a_retry_with_the_same_key_spends_once_even_when_the_balance_is_spent() {
        buy(6);
        assertThat(record(item(EXPORTS, "2", "a"))).isInstanceOf(Outcome.Done.class);
        assertThat(balance()).isZero();

        Outcome<UsageRecorded> retry = record(item(EXPORTS, "2", "a"));

        assertThat(retry).isInstanceOf(Outcome.Done.class);
        assertThat(((Outcome.Done<UsageRecorded>) retry).value().duplicates()).isEqualTo(1);
        assertThat(balance()).isZero();
        assertThat(spends()).hasSize(1);
        assertThat(used(EXPORTS)).isEqualByComparingTo("2");
    }

    @Test
    void R38_a_fraction_of_a_credit_is_spent_as_a_whole_credit() {
        buy(10);
        assertThat(record(item(EXPORTS, "0.5", "a"))).isInstanceOf(Outcome.Done.class);
        assertThat(balance()).isEqualTo(8);
    }

    @Test
    void R38_an_unenforced_record_of_a_priced_metric_spends_nothing() {
        buy(1);
        assertThat(tally.usage().record(new RecordUsage(user, List.of(item(EXPORTS, "2", "a")), false)))
                .isInstanceOf(Outcome.Done.class);
        assertThat(balance()).isEqualTo(1);
        assertThat(used(EXPORTS)).isEqualByComparingTo("2");
    }

    @Test
    void R38_R90_a_record_refused_for_credits_gives_its_rate_back() {
        tally.plans().put(Plan.of(plan, "Priced", new PlanLimits(Map.of(EXPORTS, Limit.of(1_000))))
                .withCreditPrices(new CreditPrices(Map.of(EXPORTS, 3L)))
                .withRateLimits(new MetricRates(Map.of(EXPORTS, new MetricRate(1, 60, 0)))));
        shortfall(record(item(EXPORTS, "1", "a")));
        buy(3);
        // Had the refused record kept its cell, the rate (one a minute) would refuse this one.
        assertThat(record(item(EXPORTS, "1", "b"))).isInstanceOf(Outcome.Done.class);
        assertThat(balance()).isZero();
    }

    @Test
    void R38_R33_usage_by_operation_shows_the_spends_under_the_metric_name() {
        buy(20);
        record(item(EXPORTS, "1", "a"));
        record(item(EXPORTS, "2", "b"));

        OperationUsage exports = tally.credits().usageByOperation(user, PeriodSelector.current()).operations()
                .stream().filter(op -> op.operation().equals("exports")).findFirst().orElseThrow();
        assertThat(exports.gross()).isEqualTo(9);
        assertThat(exports.net()).isEqualTo(9);
    }

    @Test
    void R38_R70_a_check_of_a_priced_metric_answers_from_the_balance_and_says_why() {
        buy(5);
        Entitlement one = tally.entitlements().check(new CheckEntitlement(user, EXPORTS, BigDecimal.ONE));
        Entitlement two = tally.entitlements().check(new CheckEntitlement(user, EXPORTS, new BigDecimal("2")));

        assertThat(one.allowed()).isTrue();
        assertThat(two.allowed()).isFalse();
        assertThat(two.denial()).isEmpty();
        assertThat(two.credits()).hasValueSatisfying(check -> {
            assertThat(check.price()).isEqualTo(3);
            assertThat(check.balance()).isEqualTo(5);
            assertThat(check.required()).isEqualTo(BigInteger.valueOf(6));
            assertThat(check.allows()).isFalse();
        });
        assertThat(tally.entitlements().check(new CheckEntitlement(user, SEARCHES, BigDecimal.TEN)).credits())
                .isEmpty();
    }

    @Test
    void R38_R92_a_void_gives_the_credits_back_to_the_grants_they_came_from_once() {
        buy(10);
        record(item(EXPORTS, "2", "a"));
        assertThat(balance()).isEqualTo(4);

        tally.corrections().voidRecord(new VoidRecord(user, RecordId.of(new IdempotencyKey("a")), "wrong export"));
        tally.corrections().voidRecord(new VoidRecord(user, RecordId.of(new IdempotencyKey("a")), "wrong export"));

        assertThat(balance()).isEqualTo(10);
        assertThat(used(EXPORTS)).isEqualByComparingTo("0");
        assertThat(tally.credits().grants(user, new Paging(10, 0)).get(0).remaining()).isEqualTo(10);
        OperationUsage exports = tally.credits().usageByOperation(user, PeriodSelector.current()).operations()
                .get(0);
        assertThat(exports.net()).isZero();
    }

    @Test
    void R38_R36_a_void_refund_into_a_grant_that_expired_meanwhile_expires_at_once() {
        tally.credits().write(CreditWrite.grant(user, 10, new IdempotencyKey(newId("g")), Optional.empty(),
                Optional.of(NOW.plus(Duration.ofHours(1)))));
        record(item(EXPORTS, "2", "a"));
        clock.advance(Duration.ofHours(2));
        assertThat(balance()).isZero();

        tally.corrections().voidRecord(new VoidRecord(user, RecordId.of(new IdempotencyKey("a")), "late void"));

        assertThat(balance()).isZero();
    }

    @Test
    void R38_R13_concurrent_writers_on_every_node_spend_exactly_what_the_balance_pays_for() throws Exception {
        buy(30);
        Tally other = Tally.create(otherNode(), clock, Tally.Settings.DEFAULTS);
        List<Outcome<UsageRecorded>> outcomes = concurrently(16, 32,
                i -> () -> record(i % 2 == 0 ? tally : other, item(EXPORTS, "1", "c" + i)));

        long accepted = outcomes.stream().filter(o -> o instanceof Outcome.Done).count();
        assertThat(accepted).isEqualTo(10);
        outcomes.stream().filter(o -> o instanceof Outcome.Refused).forEach(CreditPricedUsageContract::shortfall);
        assertThat(balance()).isZero();
        assertThat(used(EXPORTS)).isEqualByComparingTo("10");
        assertThat(spends()).hasSize(10);
    }
}
