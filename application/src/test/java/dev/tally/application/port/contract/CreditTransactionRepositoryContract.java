package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.APRIL;
import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.CreditAppend;
import dev.tally.application.port.CreditEntry;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.domain.credit.CreditLedger;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link CreditTransactionRepository} promises (R30–R34). */
public abstract class CreditTransactionRepositoryContract {

    private static final Instant AT = MARCH.start().plusSeconds(3600);

    protected abstract CreditTransactionRepository credits();

    private static CreditEntry purchase(UserId user, long amount, Instant at) {
        return new CreditEntry(newId("tx"), user, CreditType.PURCHASE, amount, Optional.empty(), Optional.empty(),
                Optional.empty(), at, false);
    }

    private static CreditEntry spend(UserId user, String operation, long credits, Instant at, boolean cover) {
        return new CreditEntry(newId("tx"), user, CreditType.USAGE, -credits, Optional.of(operation), Optional.empty(),
                Optional.empty(), at, cover);
    }

    private static CreditEntry refund(UserId user, CreditTransaction usage, long credits, Instant at) {
        return new CreditEntry(newId("tx"), user, CreditType.REFUND, credits, usage.operation(), Optional.of(usage.id()),
                Optional.empty(), at, false);
    }

    private CreditTransaction append(CreditEntry entry) {
        CreditAppend result = credits().append(entry);
        assertThat(result).isInstanceOf(CreditAppend.Appended.class);
        return ((CreditAppend.Appended) result).transaction();
    }

    /** A refund as a use case writes it: the entry and the capped total, together. */
    private boolean refundOf(UserId user, CreditTransaction usage, long credits, Instant at) {
        if (!credits().addRefunded(usage.id(), credits)) {
            return false;
        }
        append(refund(user, usage, credits, at));
        return true;
    }

    @Test
    void R31_the_balance_is_the_sum_of_the_entries_and_each_entry_knows_the_balance_after_it() {
        UserId user = newUser();
        assertThat(credits().balance(user)).isZero();
        CreditTransaction bought = append(purchase(user, 10, AT));
        CreditTransaction spent = append(spend(user, "upload", 3, AT.plusSeconds(1), true));

        assertThat(bought.balanceAfter()).isEqualTo(10);
        assertThat(spent.balanceAfter()).isEqualTo(7);
        assertThat(credits().balance(user)).isEqualTo(7);
        assertThat(credits().find(user, spent.id())).contains(spent);
        assertThat(credits().find(newUser(), spent.id())).isEmpty();
        assertThat(credits().find(user, "missing")).isEmpty();
    }

    @Test
    void R31_a_spend_the_balance_does_not_cover_is_refused_and_writes_nothing() {
        UserId user = newUser();
        append(purchase(user, 5, AT));

        assertThat(credits().append(spend(user, "upload", 6, AT, true))).isEqualTo(new CreditAppend.Insufficient(5));
        assertThat(credits().balance(user)).isEqualTo(5);
        assertThat(credits().count(user)).isEqualTo(1);
        assertThat(credits().append(spend(newUser(), "upload", 1, AT, true)))
                .isEqualTo(new CreditAppend.Insufficient(0));
    }

    @Test
    void R64_an_entry_that_would_take_the_balance_beyond_its_range_is_refused_and_writes_nothing() {
        UserId user = newUser();
        append(purchase(user, CreditLedger.MAX_BALANCE, AT));

        assertThat(credits().append(purchase(user, 1, AT))).isEqualTo(new CreditAppend.OutOfRange(CreditLedger.MAX_BALANCE));
        assertThat(credits().append(purchase(user, Long.MAX_VALUE, AT)))
                .isEqualTo(new CreditAppend.OutOfRange(CreditLedger.MAX_BALANCE));
        assertThat(credits().append(spend(user, "upload", Long.MAX_VALUE, AT, true)))
                .isEqualTo(new CreditAppend.Insufficient(CreditLedger.MAX_BALANCE));
        assertThat(credits().balance(user)).isEqualTo(CreditLedger.MAX_BALANCE);
        assertThat(credits().count(user)).isEqualTo(1);
        UserId other = newUser();
        assertThat(credits().append(spend(other, "upload", CreditLedger.MAX_BALANCE + 1, AT, false)))
                .isEqualTo(new CreditAppend.OutOfRange(0));
        assertThat(credits().append(spend(other, "upload", 5, AT, true))).isEqualTo(new CreditAppend.Insufficient(0));
    }

    @Test
    void R31_an_entry_without_cover_may_take_the_balance_below_zero() {
        UserId user = newUser();
        assertThat(append(spend(user, "upload", 4, AT, false)).balanceAfter()).isEqualTo(-4);
        assertThat(credits().balance(user)).isEqualTo(-4);
    }

    @Test
    void R32_refunds_of_a_usage_entry_never_exceed_what_it_spent() {
        UserId user = newUser();
        append(purchase(user, 20, AT));
        CreditTransaction usage = append(spend(user, "query", 7, AT, true));

        assertThat(refundOf(user, usage, 5, AT.plusSeconds(10))).isTrue();
        assertThat(credits().refunded(usage.id())).isEqualTo(5);
        assertThat(credits().addRefunded(usage.id(), 3)).isFalse();
        assertThat(refundOf(user, usage, 2, AT.plusSeconds(20))).isTrue();
        assertThat(credits().addRefunded(usage.id(), 1)).isFalse();
        assertThat(credits().refunded(usage.id())).isEqualTo(7);
        assertThat(credits().balance(user)).isEqualTo(20);
        assertThat(credits().addRefunded("missing", 1)).isFalse();
        assertThat(credits().refunded("missing")).isZero();
    }

    @Test
    void R32_only_usage_entries_can_be_refunded() {
        UserId user = newUser();
        CreditTransaction bought = append(purchase(user, 20, AT));
        assertThat(credits().addRefunded(bought.id(), 1)).isFalse();
    }

    @Test
    void R33_seven_spent_five_refunded_is_net_two_and_refunds_count_in_the_usage_period() {
        UserId user = newUser();
        append(purchase(user, 100, AT));
        CreditTransaction upload = append(spend(user, "upload", 10, AT, true));
        CreditTransaction query = append(spend(user, "query", 5, AT, true));
        CreditTransaction search = append(spend(user, "search", 2, AT, true));
        CreditTransaction other = append(spend(user, "upload", 7, APRIL.start().plusSeconds(5), true));
        refundOf(user, upload, 3, AT.plusSeconds(5));
        refundOf(user, query, 5, APRIL.start().plusSeconds(60));
        refundOf(user, other, 5, APRIL.start().plusSeconds(60));

        assertThat(credits().usageByOperation(user, MARCH)).containsExactlyInAnyOrder(
                OperationUsage.of("upload", 10, 3), OperationUsage.of("query", 5, 5), OperationUsage.of("search", 2, 0));
        assertThat(credits().usageByOperation(user, APRIL)).containsExactly(OperationUsage.of("upload", 7, 5));
        assertThat(search.amount()).isEqualTo(-2);
    }

    @Test
    void R30_the_ledger_pages_newest_first() {
        UserId user = newUser();
        CreditTransaction first = append(purchase(user, 10, AT));
        CreditTransaction second = append(spend(user, "a", 1, AT.plusSeconds(1), true));
        CreditTransaction third = append(spend(user, "b", 1, AT.plusSeconds(2), true));

        assertThat(credits().page(user, 2, 0)).containsExactly(third, second);
        assertThat(credits().page(user, 2, 2)).containsExactly(first);
        assertThat(credits().count(user)).isEqualTo(3);
        assertThat(credits().page(newUser(), 10, 0)).isEmpty();
    }

    @Test
    void R31_32_threads_spending_never_take_the_balance_below_zero() throws Exception {
        UserId user = newUser();
        append(purchase(user, 10, AT));
        List<CreditAppend> results = concurrently(32, 40, i -> () ->
                credits().append(spend(user, "upload", 1, AT.plusSeconds(i), true)));

        assertThat(results).filteredOn(CreditAppend.Appended.class::isInstance).hasSize(10);
        assertThat(results).filteredOn(CreditAppend.Insufficient.class::isInstance).hasSize(30);
        assertThat(credits().balance(user)).isZero();
        assertThat(credits().page(user, 100, 0)).allMatch(t -> t.balanceAfter() >= 0);
    }

    @Test
    void R32_concurrent_refunds_of_one_entry_stay_within_what_it_spent() throws Exception {
        UserId user = newUser();
        append(purchase(user, 10, AT));
        CreditTransaction usage = append(spend(user, "upload", 10, AT, true));
        List<Boolean> results = concurrently(32, 32, i -> () -> credits().addRefunded(usage.id(), 1));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(10);
        assertThat(credits().refunded(usage.id())).isEqualTo(10);
    }
}
