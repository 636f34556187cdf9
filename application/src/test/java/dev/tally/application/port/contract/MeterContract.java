package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.MARCH;
import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.Denied;
import dev.tally.application.port.MeterStore;
import dev.tally.application.port.PeriodRecord;
import dev.tally.application.port.ReconcileReport;
import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.VoidOutcome;
import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricBound;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.usage.UsageTotals;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageLedger} promises about meters (R81–R83): definitions stored once and
 * refused when in use, every aggregation fed by the records it matches and enforced exactly in
 * the record's write, a batch granted or denied as one across meters, groups kept per group.
 */
public abstract class MeterContract {

    protected abstract UsageLedger ledger();

    /** The ledger of a second node over the same store; the same ledger where there is one store per node. */
    protected UsageLedger otherNode() {
        return ledger();
    }

    private static final Instant T = MARCH.start().plusSeconds(86_400);

    /** A source metric and meter keys no other test uses, since meters are shared by every user. */
    private final String tag = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final MetricKey source = new MetricKey(tag + "_tokens");

    private MetricKey key(String name) {
        return new MetricKey(tag + "_" + name);
    }

    private Meter define(String name, Aggregation aggregation, Optional<String> unique, Map<String, List<String>> filter,
                         List<String> groupBy) {
        Meter meter = Meter.define(key(name), source, aggregation, unique, filter, groupBy, Optional.empty());
        assertThat(ledger().putMeter(meter, T)).isEqualTo(MeterStore.PutMeter.CREATED);
        return meter;
    }

    private static PeriodRecord record(UserId user, MetricKey metric, long quantity, Instant at,
                                       Map<String, String> dimensions) {
        return new PeriodRecord(new UsageRecord(user, metric, BigDecimal.valueOf(quantity), at,
                new IdempotencyKey("k-" + UUID.randomUUID()), dimensions), MARCH);
    }

    private PeriodRecord record(UserId user, long quantity, Instant at, Map<String, String> dimensions) {
        return record(user, source, quantity, at, dimensions);
    }

    private AppendResult append(UsageLedger ledger, UserId user, Map<MetricKey, Limit> limits, List<Meter> meters,
                                PeriodRecord... records) {
        return ledger.append(user, List.of(records), limits, Set.of(), MetricBound.unbounded(), meters);
    }

    private BigDecimal value(UserId user, Meter meter) {
        return ledger().totals(user, meter.key(), MARCH).used();
    }

    @Test
    void R81_a_meter_is_stored_once_read_back_and_cannot_change_after_it_recorded_usage() {
        Meter users = define("users", Aggregation.UNIQUE_COUNT, Optional.of("end_user"),
                Map.of("model", List.of("a", "b")), List.of("model"));
        assertThat(ledger().meter(users.key())).contains(users);
        assertThat(ledger().meters()).contains(users);
        assertThat(ledger().putMeter(users, T)).isEqualTo(MeterStore.PutMeter.UNCHANGED);
        Meter wider = Meter.define(users.key(), source, Aggregation.UNIQUE_COUNT, Optional.of("end_user"),
                Map.of(), List.of(), Optional.empty());
        assertThat(ledger().putMeter(wider, T)).as("no usage yet").isEqualTo(MeterStore.PutMeter.UPDATED);
        UserId user = newUser();
        append(ledger(), user, Map.of(), List.of(wider), record(user, 1, T, Map.of("end_user", "ann")));
        assertThat(ledger().putMeter(users, T)).isEqualTo(MeterStore.PutMeter.IN_USE);
        assertThat(ledger().meter(users.key())).contains(wider);
        Meter renamed = new Meter(wider.key(), source, Aggregation.UNIQUE_COUNT, Optional.of("end_user"), Map.of(),
                List.of(), Optional.of("Active end users"));
        assertThat(ledger().putMeter(renamed, T)).as("a name is not the definition")
                .isEqualTo(MeterStore.PutMeter.UPDATED);
        assertThat(ledger().putMeter(Meter.define(key("over"), users.key(), Aggregation.SUM, Optional.empty(),
                Map.of(), List.of(), Optional.empty()), T)).isEqualTo(MeterStore.PutMeter.SOURCE_IS_METER);
        assertThat(ledger().putMeter(Meter.define(source, key("x"), Aggregation.SUM, Optional.empty(),
                Map.of(), List.of(), Optional.empty()), T)).isEqualTo(MeterStore.PutMeter.KEY_IS_SOURCE);
    }

    @Test
    void R82_unique_count_refuses_a_new_value_at_its_limit_and_accepts_every_seen_one() {
        Meter users = define("users", Aggregation.UNIQUE_COUNT, Optional.of("end_user"), Map.of(), List.of());
        UserId user = newUser();
        Map<MetricKey, Limit> two = Map.of(users.key(), Limit.of(2));
        assertThat(append(ledger(), user, two, List.of(users), record(user, 1, T, Map.of("end_user", "ann")),
                record(user, 1, T, Map.of("end_user", "bob")), record(user, 1, T, Map.of("end_user", "ann"))))
                .isEqualTo(new AppendResult.Appended(3, 0));
        AppendResult refused = append(ledger(), user, two, List.of(users),
                record(user, 1, T, Map.of("end_user", "bob")), record(user, 1, T, Map.of("end_user", "cid")));
        assertThat(refused).isEqualTo(new Denied(users.key(), MARCH, new UsageTotals(BigDecimal.valueOf(2),
                BigDecimal.ZERO), BigDecimal.ONE, BigDecimal.valueOf(2)));
        assertThat(append(ledger(), user, two, List.of(users), record(user, 1, T, Map.of("end_user", "bob"))))
                .isEqualTo(new AppendResult.Appended(1, 0));
        assertThat(value(user, users)).isEqualByComparingTo("2");
        assertThat(ledger().totals(user, source, MARCH).used()).as("the source counts its own records")
                .isEqualByComparingTo("4");
    }

    @Test
    void R82_max_and_latest_refuse_a_quantity_above_the_limit_and_keep_their_value() {
        Meter peak = define("peak", Aggregation.MAX, Optional.empty(), Map.of(), List.of());
        Meter last = define("last", Aggregation.LATEST, Optional.empty(), Map.of(), List.of());
        UserId user = newUser();
        Map<MetricKey, Limit> fifty = Map.of(peak.key(), Limit.of(50), last.key(), Limit.of(80));
        List<Meter> both = List.of(peak, last);
        assertThat(append(ledger(), user, fifty, both, record(user, 40, T, Map.of()),
                record(user, 10, T.plusSeconds(10), Map.of()))).isInstanceOf(AppendResult.Appended.class);
        assertThat(value(user, peak)).isEqualByComparingTo("40");
        assertThat(value(user, last)).isEqualByComparingTo("10");
        assertThat(append(ledger(), user, fifty, both, record(user, 51, T, Map.of())))
                .isEqualTo(new Denied(peak.key(), MARCH, new UsageTotals(BigDecimal.valueOf(40), BigDecimal.ZERO),
                        BigDecimal.valueOf(51), BigDecimal.valueOf(50)));
        Map<MetricKey, Limit> latestOnly = Map.of(last.key(), Limit.of(30));
        assertThat(append(ledger(), user, latestOnly, both, record(user, 45, T.minusSeconds(60), Map.of())))
                .as("an older record does not become the latest").isInstanceOf(AppendResult.Appended.class);
        assertThat(value(user, last)).isEqualByComparingTo("10");
        assertThat(value(user, peak)).isEqualByComparingTo("45");
        assertThat(append(ledger(), user, latestOnly, both, record(user, 31, T.plusSeconds(10), Map.of())))
                .as("a tie goes to the later arrival").isInstanceOf(Denied.class);
        assertThat(append(ledger(), user, latestOnly, both, record(user, 30, T.plusSeconds(20), Map.of())))
                .isInstanceOf(AppendResult.Appended.class);
        assertThat(value(user, last)).isEqualByComparingTo("30");
    }

    @Test
    void R82_a_batch_is_denied_as_one_across_meters_naming_the_first_refusal_in_request_order() {
        Meter calls = define("calls", Aggregation.COUNT, Optional.empty(), Map.of("model", List.of("gpt")), List.of());
        Meter peak = define("peak", Aggregation.MAX, Optional.empty(), Map.of(), List.of());
        UserId user = newUser();
        Map<MetricKey, Limit> limits = Map.of(calls.key(), Limit.of(1), peak.key(), Limit.of(50));
        List<Meter> meters = List.of(calls, peak);
        PeriodRecord gpt1 = record(user, 5, T, Map.of("model", "gpt"));
        PeriodRecord gpt2 = record(user, 5, T, Map.of("model", "gpt"));
        PeriodRecord big = record(user, 60, T, Map.of("model", "other"));
        assertThat(((Denied) append(ledger(), user, limits, meters, big, gpt1, gpt2)).metric()).isEqualTo(peak.key());
        assertThat(((Denied) append(ledger(), user, limits, meters, gpt1, gpt2, big)).metric())
                .isEqualTo(calls.key());
        assertThat(value(user, calls)).isZero();
        assertThat(ledger().totals(user, source, MARCH).used()).as("nothing stored").isZero();
        assertThat(append(ledger(), user, limits, meters, gpt1, record(user, 7, T, Map.of("model", "claude"))))
                .isEqualTo(new AppendResult.Appended(2, 0));
        assertThat(value(user, calls)).as("the filter let one through").isEqualByComparingTo("1");
        assertThat(value(user, peak)).isEqualByComparingTo("7");
    }

    @Test
    void R83_groups_keep_each_group_s_value_largest_first() {
        Meter tokens = define("by_model", Aggregation.SUM, Optional.empty(), Map.of(), List.of("model"));
        Meter users = define("users_by_model", Aggregation.UNIQUE_COUNT, Optional.of("end_user"), Map.of(),
                List.of("model"));
        UserId user = newUser();
        List<Meter> meters = List.of(tokens, users);
        append(ledger(), user, Map.of(), meters, record(user, 5, T, Map.of("model", "a", "end_user", "x")),
                record(user, 7, T, Map.of("model", "b", "end_user", "x")),
                record(user, 4, T, Map.of("model", "b", "end_user", "y")),
                record(user, 1, T, Map.of("model", "b", "end_user", "p")));
        append(ledger(), user, Map.of(), meters, record(user, 1, T, Map.of("model", "a", "end_user", "x")),
                record(user, 1, T, Map.of("model", "a", "end_user", "q")), record(user, 2, T, Map.of("end_user", "z")));
        assertThat(ledger().meterGroups(user, tokens.key(), MARCH).stream()
                .map(g -> g.group().get("model") + "=" + g.value().stripTrailingZeros().toPlainString()))
                .containsExactly("b=12", "a=7", "=2");
        assertThat(ledger().meterGroups(user, users.key(), MARCH).stream()
                .map(g -> g.group().get("model") + "=" + g.value().stripTrailingZeros().toPlainString()))
                .containsExactly("b=3", "a=2", "=1");
        assertThat(value(user, users)).as("x, y, p, q, z").isEqualByComparingTo("5");
        assertThat(value(user, tokens)).isEqualByComparingTo("21");
    }

    @Test
    void R84_the_rollups_writes_keep_agree_with_the_facts_for_every_aggregation() {
        List<Meter> meters = new ArrayList<>();
        for (Aggregation aggregation : Aggregation.values()) {
            meters.add(define(aggregation.wire() + "_by_model", aggregation, aggregation == Aggregation.UNIQUE_COUNT
                    ? Optional.of("end_user") : Optional.empty(), Map.of("region", List.of("eu")), List.of("model")));
        }
        UserId user = newUser();
        for (int i = 0; i < 12; i++) {
            append(ledger(), user, Map.of(), meters, record(user, i % 5 + 1, T.plusSeconds(i % 4),
                    Map.of("region", i % 3 == 0 ? "us" : "eu", "model", "m" + i % 2, "end_user", "e" + i % 5)));
        }
        ReconcileReport report = ledger().reconcileMeters(Optional.empty(), MARCH.start(), false);
        assertThat(report.drifts().stream().filter(d -> d.user().equals(user))).isEmpty();
        assertThat(report.checked()).isGreaterThanOrEqualTo(Aggregation.values().length);
    }

    @Test
    void R81_R84_a_latest_meter_s_tie_in_one_batch_goes_to_the_record_stored_last_and_reconciles_clean() {
        Meter latest = define("latest_tie", Aggregation.LATEST, Optional.empty(), Map.of(), List.of());
        UserId user = newUser();
        PeriodRecord second = new PeriodRecord(new UsageRecord(user, source, BigDecimal.valueOf(2), T,
                new IdempotencyKey("tie-b-" + tag), Map.of()), MARCH);
        PeriodRecord first = new PeriodRecord(new UsageRecord(user, source, BigDecimal.ONE, T,
                new IdempotencyKey("tie-a-" + tag), Map.of()), MARCH);

        append(ledger(), user, Map.of(), List.of(latest), second, first);

        assertThat(value(user, latest)).as("stored by key: tie-a, then tie-b").isEqualByComparingTo("2");
        ReconcileReport report = ledger().reconcileMeters(Optional.empty(), MARCH.start(), false);
        assertThat(report.drifts().stream().filter(d -> d.user().equals(user))).isEmpty();
    }

    @Test
    void R84_a_meter_defined_after_its_records_is_backfilled_by_reconcile_within_the_window() {
        UserId user = newUser();
        for (int i = 0; i < 6; i++) {
            append(ledger(), user, Map.of(), List.of(), record(user, 1, T, Map.of("end_user", "e" + i % 4,
                    "model", "m" + i % 2)));
        }
        Meter users = define("users", Aggregation.UNIQUE_COUNT, Optional.of("end_user"), Map.of(), List.of("model"));
        assertThat(value(user, users)).as("counts from its creation").isZero();

        ReconcileReport found = ledger().reconcileMeters(Optional.of(users.key()), MARCH.start(), false);
        assertThat(found.drifts()).extracting(ReconcileReport.Drift::user).containsExactly(user);
        assertThat(found.drifts().get(0).factUsed()).isEqualByComparingTo("4");
        assertThat(value(user, users)).as("reported, not repaired").isZero();
        assertThat(ledger().reconcileMeters(Optional.of(users.key()), MARCH.end(), true).drifts())
                .as("outside the window nothing is touched").isEmpty();

        ledger().reconcileMeters(Optional.of(users.key()), MARCH.start(), true);
        assertThat(value(user, users)).isEqualByComparingTo("4");
        assertThat(ledger().meterGroups(user, users.key(), MARCH).stream()
                .map(g -> g.group().get("model") + "=" + g.value().stripTrailingZeros().toPlainString()))
                .containsExactlyInAnyOrder("m0=2", "m1=2");
        assertThat(ledger().reconcileMeters(Optional.of(users.key()), MARCH.start(), false).drifts()).isEmpty();
        Map<MetricKey, Limit> four = Map.of(users.key(), Limit.of(4));
        assertThat(append(ledger(), user, four, List.of(users), record(user, 1, T, Map.of("end_user", "e1"))))
                .as("a backfilled value is seen").isInstanceOf(AppendResult.Appended.class);
        assertThat(append(ledger(), user, four, List.of(users), record(user, 1, T, Map.of("end_user", "e9"))))
                .isInstanceOf(Denied.class);
    }

    @Test
    void R82_count_and_max_never_pass_their_limits_under_concurrent_writers_on_two_nodes() throws Exception {
        Meter calls = define("calls", Aggregation.COUNT, Optional.empty(), Map.of(), List.of());
        Meter peak = define("peak", Aggregation.MAX, Optional.empty(), Map.of(), List.of());
        UserId user = newUser();
        Map<MetricKey, Limit> limits = Map.of(calls.key(), Limit.of(20), peak.key(), Limit.of(50));
        List<AppendResult> results = concurrently(16, 120, i -> () -> append(i % 2 == 0 ? ledger() : otherNode(),
                user, limits, List.of(calls, peak), record(user, i % 60 + 1, T, Map.of())));
        long granted = results.stream().filter(AppendResult.Appended.class::isInstance).count();
        assertThat(granted).isEqualTo(20);
        assertThat(value(user, calls)).isEqualByComparingTo("20");
        assertThat(value(user, peak)).isLessThanOrEqualTo(BigDecimal.valueOf(50));
        for (int i = 0; i < results.size(); i++) {
            if (i % 60 + 1 > 50) {
                assertThat(results.get(i)).isInstanceOf(Denied.class);
            }
        }
    }

    @Test
    void R82_unique_count_is_exact_under_concurrent_writers_on_two_nodes() throws Exception {
        Meter users = define("users", Aggregation.UNIQUE_COUNT, Optional.of("end_user"), Map.of(), List.of());
        UserId user = newUser();
        Map<MetricKey, Limit> ten = Map.of(users.key(), Limit.of(10));
        // Every value is sent four times: 40 distinct values over 160 writes on 16 threads, half on each node.
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            sent.add("e" + (i % 40));
        }
        List<AppendResult> results = concurrently(16, 160, i -> () -> append(i % 2 == 0 ? ledger() : otherNode(),
                user, ten, List.of(users), record(user, 1, T, Map.of("end_user", sent.get(i)))));
        Set<String> accepted = new HashSet<>();
        Map<String, Integer> refusedAfterAccepted = new HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof AppendResult.Appended) {
                accepted.add(sent.get(i));
            }
        }
        assertThat(accepted).hasSize(10);
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i) instanceof AppendResult.Appended).as("write %d of %s", i, sent.get(i))
                    .isEqualTo(accepted.contains(sent.get(i)));
        }
        assertThat(value(user, users)).isEqualByComparingTo("10");
        // A repeat of an accepted value is accepted afterwards, whatever node it reaches.
        AtomicInteger node = new AtomicInteger();
        for (String value : accepted) {
            assertThat(append(node.getAndIncrement() % 2 == 0 ? ledger() : otherNode(), user, ten, List.of(users),
                    record(user, 1, T, Map.of("end_user", value)))).isInstanceOf(AppendResult.Appended.class);
            refusedAfterAccepted.merge(value, 0, Integer::sum);
        }
        assertThat(append(ledger(), user, ten, List.of(users), record(user, 1, T, Map.of("end_user", "new"))))
                .isInstanceOf(Denied.class);
    }

    // --- voids (R92): what a record fed into meters is taken back in the void's write ---

    private VoidOutcome.Voided voidOf(UserId user, PeriodRecord record) {
        return (VoidOutcome.Voided) ledger().voidRecord(user, record.record().idempotencyKey(), "mistake",
                MARCH.end(), MARCH.start());
    }

    private void reconcilesClean(UserId user) {
        ReconcileReport report = ledger().reconcileMeters(Optional.empty(), MARCH.start(), false);
        assertThat(report.drifts().stream().filter(d -> d.user().equals(user))).as("meter drifts").isEmpty();
    }

    private List<String> groups(UserId user, Meter meter) {
        return ledger().meterGroups(user, meter.key(), MARCH).stream()
                .map(g -> g.group().get("model") + "=" + g.value().stripTrailingZeros().toPlainString()).toList();
    }

    @Test
    void R92_voiding_the_record_that_holds_a_max_gives_the_next_largest() {
        Meter max = define("void_max", Aggregation.MAX, Optional.empty(), Map.of(), List.of("model"));
        UserId user = newUser();
        PeriodRecord three = record(user, 3, T, Map.of("model", "a"));
        PeriodRecord nine = record(user, 9, T.plusSeconds(1), Map.of("model", "a"));
        PeriodRecord five = record(user, 5, T.plusSeconds(2), Map.of("model", "b"));
        append(ledger(), user, Map.of(), List.of(max), three, nine, five);
        assertThat(value(user, max)).isEqualByComparingTo("9");

        VoidOutcome.Voided voided = voidOf(user, nine);

        assertThat(value(user, max)).isEqualByComparingTo("5");
        assertThat(groups(user, max)).containsExactly("b=5", "a=3");
        assertThat(voided.changed()).extracting(VoidOutcome.Changed::metric).containsExactly(source, max.key());
        assertThat(voided.changed().get(1).before()).isEqualByComparingTo("9");
        assertThat(voided.changed().get(1).after()).isEqualByComparingTo("5");
        reconcilesClean(user);
        voidOf(user, five);
        voidOf(user, three);
        assertThat(value(user, max)).isEqualByComparingTo("0");
        assertThat(groups(user, max)).as("a group whose records are all void is gone").isEmpty();
        reconcilesClean(user);
    }

    @Test
    void R92_voiding_the_only_record_of_a_distinct_value_removes_it_and_lets_a_new_value_in_under_the_limit() {
        Meter users = define("void_users", Aggregation.UNIQUE_COUNT, Optional.of("end_user"), Map.of(),
                List.of("model"));
        UserId user = newUser();
        Map<MetricKey, Limit> two = Map.of(users.key(), Limit.of(2));
        PeriodRecord ann = record(user, 1, T, Map.of("end_user", "ann", "model", "a"));
        PeriodRecord annAgain = record(user, 1, T, Map.of("end_user", "ann", "model", "a"));
        PeriodRecord bob = record(user, 1, T, Map.of("end_user", "bob", "model", "b"));
        append(ledger(), user, two, List.of(users), ann, annAgain, bob);
        PeriodRecord cid = record(user, 1, T, Map.of("end_user", "cid", "model", "a"));
        assertThat(append(ledger(), user, two, List.of(users), cid)).isInstanceOf(Denied.class);

        voidOf(user, annAgain);
        assertThat(value(user, users)).as("ann has another record").isEqualByComparingTo("2");
        assertThat(append(ledger(), user, two, List.of(users), cid)).isInstanceOf(Denied.class);
        voidOf(user, bob);
        assertThat(value(user, users)).isEqualByComparingTo("1");
        assertThat(groups(user, users)).containsExactly("a=1");
        reconcilesClean(user);

        assertThat(append(ledger(), user, two, List.of(users), cid)).isInstanceOf(AppendResult.Appended.class);
        assertThat(value(user, users)).isEqualByComparingTo("2");
        assertThat(append(ledger(), user, two, List.of(users), record(user, 1, T, Map.of("end_user", "bob"))))
                .as("bob is new again, and the limit is reached").isInstanceOf(Denied.class);
        reconcilesClean(user);
    }

    @Test
    void R92_voiding_the_latest_record_gives_the_previous_latest() {
        Meter latest = define("void_latest", Aggregation.LATEST, Optional.empty(), Map.of(), List.of());
        UserId user = newUser();
        PeriodRecord four = record(user, 4, T, Map.of());
        PeriodRecord seven = record(user, 7, T.plusSeconds(10), Map.of());
        append(ledger(), user, Map.of(), List.of(latest), four, seven);
        assertThat(value(user, latest)).isEqualByComparingTo("7");

        voidOf(user, seven);
        assertThat(value(user, latest)).isEqualByComparingTo("4");
        reconcilesClean(user);
        append(ledger(), user, Map.of(), List.of(latest), record(user, 6, T.plusSeconds(5), Map.of()));
        assertThat(value(user, latest)).as("later than the remaining latest, earlier than the voided one")
                .isEqualByComparingTo("6");
        reconcilesClean(user);
    }

    @Test
    void R92_a_void_takes_back_sum_count_groups_and_the_meter_s_series_facts() {
        Meter sum = define("void_sum", Aggregation.SUM, Optional.empty(), Map.of("region", List.of("eu")),
                List.of("model"));
        Meter count = define("void_count", Aggregation.COUNT, Optional.empty(), Map.of(), List.of());
        UserId user = newUser();
        List<Meter> meters = List.of(sum, count);
        PeriodRecord a = record(user, 5, T, Map.of("region", "eu", "model", "a"));
        PeriodRecord b = record(user, 7, T.plusSeconds(86_400), Map.of("region", "eu", "model", "b"));
        PeriodRecord us = record(user, 2, T, Map.of("region", "us", "model", "a"));
        append(ledger(), user, Map.of(), meters, a, b, us);
        assertThat(value(user, sum)).isEqualByComparingTo("12");
        assertThat(value(user, count)).isEqualByComparingTo("3");

        VoidOutcome.Voided voided = voidOf(user, b);
        assertThat(value(user, sum)).isEqualByComparingTo("5");
        assertThat(value(user, count)).isEqualByComparingTo("2");
        assertThat(groups(user, sum)).containsExactly("a=5");
        assertThat(voided.changed()).extracting(VoidOutcome.Changed::metric)
                .containsExactlyInAnyOrder(source, sum.key(), count.key());
        assertThat(ledger().records(user, source, MARCH)).as("what a meter's series folds")
                .extracting(UsageRecord::quantity).map(BigDecimal::intValue).containsExactlyInAnyOrder(5, 2);
        voidOf(user, us);
        assertThat(value(user, sum)).as("the filter left it out").isEqualByComparingTo("5");
        assertThat(value(user, count)).isEqualByComparingTo("1");
        assertThat(voidOf(user, us).changed()).as("voiding again changes nothing").isEmpty();
        assertThat(value(user, count)).isEqualByComparingTo("1");
        reconcilesClean(user);
    }

    @Test
    void R81_R84_a_committed_hold_feeds_the_meters_of_its_metric_and_reconciles_clean() {
        Meter latest = define("hold_latest", Aggregation.LATEST, Optional.empty(), Map.of(), List.of());
        Meter count = define("hold_count", Aggregation.COUNT, Optional.empty(), Map.of(), List.of());
        UserId user = newUser();
        append(ledger(), user, Map.of(), List.of(latest, count), record(user, 2, T, Map.of()));
        ledger().hold(user, "res-" + tag, source, BigDecimal.valueOf(4), T.plusSeconds(5), T.plusSeconds(3_600), MARCH,
                Limit.unlimited());

        assertThat(ledger().commit(user, "res-" + tag, BigDecimal.valueOf(3), "commit-" + tag, T.plusSeconds(6)))
                .isPresent();

        assertThat(value(user, latest)).isEqualByComparingTo("3");
        assertThat(value(user, count)).isEqualByComparingTo("2");
        reconcilesClean(user);
    }
}
