package dev.tally.domain.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.DomainException;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CreditLedgerTest {

    private static final UserId USER = new UserId("acme");
    private static final Instant NOV_10 = Instant.parse("2026-11-10T00:00:00Z");
    private static final BillingPeriod NOVEMBER =
            new BillingPeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final BillingPeriod DECEMBER =
            new BillingPeriod(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));

    private final List<CreditTransaction> ledger = new ArrayList<>();
    private int ids;

    private CreditTransaction add(CreditType type, long amount, String operation, String refundOf, Instant at) {
        CreditTransaction entry = new CreditTransaction("t" + (++ids), USER, type, amount, Optional.ofNullable(operation),
                Optional.ofNullable(refundOf), Optional.empty(), at, CreditLedger.balance(ledger) + amount);
        ledger.add(entry);
        return entry;
    }

    private CreditTransaction spend(long credits, String operation) {
        return add(CreditType.USAGE, -credits, operation, null, NOV_10);
    }

    private void refund(CreditTransaction usage, long credits, Instant at) {
        long refunded = ledger.stream().filter(t -> usage.id().equals(t.refundOf().orElse(null)))
                .mapToLong(CreditTransaction::amount).sum();
        CreditLedger.checkRefund(USER, usage, refunded, credits);
        add(CreditType.REFUND, credits, usage.operation().orElseThrow(), usage.id(), at);
    }

    @Test
    void R33_seven_spent_five_refunded_is_net_two_and_the_balance_moved_by_minus_two() {
        add(CreditType.PURCHASE, 100, null, null, NOV_10);
        CreditTransaction usage = spend(7, "upload");
        refund(usage, 5, NOV_10);

        CreditUsageReport report = CreditUsageReport.fromLedger(NOVEMBER, ledger);

        assertThat(report.total()).isEqualTo(OperationUsage.of("total", 7, 5));
        assertThat(report.total().net()).isEqualTo(2);
        assertThat(CreditLedger.balance(ledger)).isEqualTo(100 - 2);
    }

    @Test
    void R33_five_spent_five_refunded_is_net_zero() {
        add(CreditType.GRANT, 5, null, null, NOV_10);
        refund(spend(5, "query"), 5, NOV_10);

        assertThat(CreditUsageReport.fromLedger(NOVEMBER, ledger).total().net()).isZero();
        assertThat(CreditLedger.balance(ledger)).isEqualTo(5);
    }

    @Test
    void R33_net_per_operation_upload_query_search() {
        add(CreditType.PURCHASE, 100, null, null, NOV_10);
        refund(spend(10, "document_upload"), 3, NOV_10);
        refund(spend(5, "mcp_query"), 5, NOV_10);
        spend(2, "embedding_search");

        CreditUsageReport report = CreditUsageReport.fromLedger(NOVEMBER, ledger);

        assertThat(report.operations()).containsExactly(
                OperationUsage.of("document_upload", 10, 3),
                OperationUsage.of("embedding_search", 2, 0),
                OperationUsage.of("mcp_query", 5, 5));
        assertThat(report.operations()).extracting(OperationUsage::net).containsExactly(7L, 2L, 0L);
        assertThat(report.total().net()).isEqualTo(9);
    }

    @Test
    void R33_a_refund_made_next_period_counts_in_the_period_of_the_usage() {
        add(CreditType.PURCHASE, 100, null, null, NOV_10);
        refund(spend(7, "upload"), 5, Instant.parse("2026-12-03T00:00:00Z"));

        assertThat(CreditUsageReport.fromLedger(NOVEMBER, ledger).total()).isEqualTo(OperationUsage.of("total", 7, 5));
        assertThat(CreditUsageReport.fromLedger(DECEMBER, ledger).total()).isEqualTo(OperationUsage.of("total", 0, 0));
    }

    @Test
    void R32_refunds_of_one_usage_never_exceed_what_it_spent() {
        add(CreditType.PURCHASE, 100, null, null, NOV_10);
        CreditTransaction usage = spend(7, "upload");
        refund(usage, 5, NOV_10);

        assertThatThrownBy(() -> refund(usage, 3, NOV_10))
                .isInstanceOf(DomainException.class).extracting("code").isEqualTo("refund_exceeds_usage");
    }

    @Test
    void R32_only_a_usage_entry_can_be_refunded_and_only_for_its_own_user() {
        CreditTransaction purchase = add(CreditType.PURCHASE, 100, null, null, NOV_10);
        CreditTransaction usage = spend(7, "upload");

        assertThatThrownBy(() -> CreditLedger.checkRefund(USER, purchase, 0, 1))
                .extracting("code").isEqualTo("refund_target_not_usage");
        assertThatThrownBy(() -> CreditLedger.checkRefund(new UserId("other"), usage, 0, 1))
                .extracting("code").isEqualTo("credit_transaction_not_found");
    }

    @Test
    void R30_each_type_carries_its_sign() {
        assertThatThrownBy(() -> CreditType.USAGE.checkSign(5)).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> CreditType.PURCHASE.checkSign(-5)).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> CreditType.ADJUSTMENT.checkSign(0)).isInstanceOf(DomainException.class);
        CreditType.ADJUSTMENT.checkSign(-3);
        CreditType.EXPIRY.checkSign(-3);
    }
}
