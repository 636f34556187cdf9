package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.APRIL;
import static dev.tally.application.port.contract.Fixtures.GPU_HOURS;
import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.dec;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static dev.tally.application.port.contract.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.ExportPosition;
import dev.tally.application.port.ExportRow;
import dev.tally.application.port.AppendResult;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.VoidOutcome;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Voids (R92) and exports (R94) of usage records: a void takes back exactly what its record
 * caused, once, however many callers race it, and an export reads every record with its void,
 * oldest first, page by page.
 */
public abstract class VoidsContract {

    private static final Instant NOW = MARCH.end().plus(Duration.ofDays(3));
    private static final Instant OPEN = MARCH.start();
    private static final MetricKey TOKENS = new MetricKey("tokens");

    protected abstract UsageLedger ledger();

    private void append(UserId user, PeriodRecord... records) {
        assertThat(ledger().append(user, List.of(records), Map.of())).isInstanceOf(AppendResult.Appended.class);
    }

    private VoidOutcome voidOf(UserId user, String key) {
        return ledger().voidRecord(user, new IdempotencyKey(key), "entered twice", NOW, OPEN);
    }

    private BigDecimal used(UserId user, MetricKey metric) {
        return ledger().totals(user, metric, MARCH).used();
    }

    private List<?> drifts(UserId user) {
        return ledger().reconcile(false, ReconcileProgress.NONE).drifts().stream()
                .filter(drift -> drift.user().equals(user)).toList();
    }

    @Test
    void R92_a_void_takes_back_its_records_quantity_from_usage_and_series_and_reconcile_agrees() {
        UserId user = newUser();
        append(user, usage(user, GPU_HOURS, "5", "a", MARCH, 1), usage(user, GPU_HOURS, "7", "b", MARCH, 1),
                usage(user, GPU_HOURS, "2", "c", MARCH, 3), usage(user, TOKENS, "100", "d", MARCH, 1));

        VoidOutcome outcome = voidOf(user, "b");

        assertThat(outcome).isInstanceOfSatisfying(VoidOutcome.Voided.class, voided -> {
            assertThat(voided.now()).isTrue();
            assertThat(voided.quantity()).isEqualByComparingTo("7");
            assertThat(voided.usedAfter()).isEqualByComparingTo("7");
            assertThat(voided.period()).isEqualTo(MARCH);
            assertThat(voided.reason()).isEqualTo("entered twice");
        });
        assertThat(used(user, GPU_HOURS)).isEqualByComparingTo("7");
        assertThat(used(user, TOKENS)).isEqualByComparingTo("100");
        assertThat(ledger().usageBySlice(user, GPU_HOURS, MARCH, Duration.ofDays(1)).values())
                .usingElementComparator(BigDecimal::compareTo).containsExactly(dec("5"), dec("2"));
        assertThat(drifts(user)).isEmpty();
    }

    @Test
    void R92_R21_a_period_whose_every_record_is_void_reconciles_clean_after_its_periods_are_filed_again() {
        UserId user = newUser();
        append(user, usage(user, GPU_HOURS, "5", "a", MARCH, 1), usage(user, TOKENS, "100", "d", MARCH, 1));
        voidOf(user, "a");

        // A changed billing cycle files every fact again and rebuilds the rollups from those not voided.
        ledger().refile(user, at -> MARCH);

        assertThat(used(user, GPU_HOURS)).isEqualByComparingTo("0");
        assertThat(used(user, TOKENS)).isEqualByComparingTo("100");
        assertThat(drifts(user)).isEmpty();
    }

    @Test
    void R92_voiding_again_answers_the_first_void_and_takes_nothing_more() {
        UserId user = newUser();
        append(user, usage(user, GPU_HOURS, "5", "a", MARCH, 1), usage(user, GPU_HOURS, "7", "b", MARCH, 1));
        voidOf(user, "b");

        VoidOutcome again = ledger().voidRecord(user, new IdempotencyKey("b"), "another reason", NOW.plusSeconds(9),
                OPEN);

        assertThat(again).isInstanceOfSatisfying(VoidOutcome.Voided.class, voided -> {
            assertThat(voided.now()).isFalse();
            assertThat(voided.reason()).isEqualTo("entered twice");
            assertThat(voided.voidedAt()).isEqualTo(NOW);
        });
        assertThat(used(user, GPU_HOURS)).isEqualByComparingTo("5");
    }

    @Test
    void R92_R20_the_records_retry_after_its_void_counts_nothing() {
        UserId user = newUser();
        PeriodRecord record = usage(user, GPU_HOURS, "7", "b", MARCH, 1);
        append(user, record);
        voidOf(user, "b");

        AppendResult retry = ledger().append(user, List.of(record), Map.of(GPU_HOURS, Limit.of(100)));

        assertThat(retry).isEqualTo(new AppendResult.Appended(0, 1));
        assertThat(used(user, GPU_HOURS)).isEqualByComparingTo("0");
        assertThat(drifts(user)).isEmpty();
    }

    @Test
    void R92_an_unknown_record_is_not_found_and_another_users_record_too() {
        UserId user = newUser();
        UserId other = newUser();
        append(other, usage(other, GPU_HOURS, "7", "b", MARCH, 1));

        assertThat(voidOf(user, "b")).isInstanceOf(VoidOutcome.NotFound.class);
        assertThat(voidOf(other, "nope")).isInstanceOf(VoidOutcome.NotFound.class);
        assertThat(used(other, GPU_HOURS)).isEqualByComparingTo("7");
    }

    @Test
    void R92_a_record_of_a_period_closed_before_the_window_stays() {
        UserId user = newUser();
        append(user, usage(user, GPU_HOURS, "7", "b", MARCH, 1));

        VoidOutcome outcome = ledger().voidRecord(user, new IdempotencyKey("b"), "late", NOW, APRIL.start().plusSeconds(1));

        assertThat(outcome).isEqualTo(new VoidOutcome.PeriodClosed(MARCH));
        assertThat(used(user, GPU_HOURS)).isEqualByComparingTo("7");
    }

    @Test
    void R92_R13_a_void_racing_its_records_retries_and_other_voids_counts_once() throws Exception {
        UserId user = newUser();
        PeriodRecord record = usage(user, GPU_HOURS, "7", "b", MARCH, 1);
        append(user, usage(user, GPU_HOURS, "5", "a", MARCH, 1), record);

        List<Object> results = concurrently(32, 32, i -> () -> i % 2 == 0
                ? voidOf(user, "b") : ledger().append(user, List.of(record), Map.of()));

        List<VoidOutcome.Voided> voids = new ArrayList<>();
        results.forEach(result -> {
            if (result instanceof VoidOutcome.Voided voided) {
                voids.add(voided);
            } else {
                assertThat(result).isEqualTo(new AppendResult.Appended(0, 1));
            }
        });
        assertThat(voids).hasSize(16).filteredOn(VoidOutcome.Voided::now).hasSize(1);
        assertThat(used(user, GPU_HOURS)).isEqualByComparingTo("5");
        assertThat(drifts(user)).isEmpty();
    }

    @Test
    void R94_an_export_reads_every_record_oldest_first_with_its_void_page_by_page_and_one_user_only() {
        UserId user = newUser();
        UserId other = newUser();
        append(user, usage(user, GPU_HOURS, "2", "c", MARCH, 3), usage(user, GPU_HOURS, "5", "a", MARCH, 1),
                usage(user, TOKENS, "9", "x", MARCH, 1), usage(user, GPU_HOURS, "7", "b", MARCH, 2),
                usage(user, GPU_HOURS, "1", "april", APRIL, 1));
        append(other, usage(other, GPU_HOURS, "3", "o", MARCH, 1));
        voidOf(user, "b");

        List<ExportRow> rows = new ArrayList<>();
        Optional<ExportPosition> after = Optional.empty();
        while (true) {
            List<ExportRow> page = ledger().exportPage(Optional.of(user), MARCH.start(), MARCH.end(), after, 2);
            rows.addAll(page);
            if (page.size() < 2) {
                break;
            }
            after = Optional.of(page.get(page.size() - 1).position());
        }

        List<String> keys = rows.stream().map(row -> row.key().value()).toList();
        assertThat(keys).isIn(List.of("a", "x", "b", "c"), List.of("x", "a", "b", "c"));
        assertThat(rows).extracting(ExportRow::occurredAt).isSorted();
        assertThat(rows).allSatisfy(row -> assertThat(row.user()).isEqualTo(user));
        assertThat(rows).filteredOn(row -> row.voided().isPresent()).extracting(row -> row.key().value())
                .containsExactly("b");
        assertThat(rows.get(0).dimensions()).isEqualTo("{\"provider\":\"openai\"}");
        assertThat(rows.stream().filter(row -> row.key().value().equals("b")).findFirst().orElseThrow().voided())
                .contains(new ExportRow.Voided("entered twice", NOW));
        List<ExportRow> everyone = ledger().exportPage(Optional.empty(), MARCH.start(), MARCH.end(), Optional.empty(),
                100_000);
        assertThat(everyone).extracting(row -> row.user()).contains(user, other);
        assertThat(everyone).extracting(ExportRow::position).isSorted();
    }
}
