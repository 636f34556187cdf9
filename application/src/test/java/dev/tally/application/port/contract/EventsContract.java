package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.allocation.ChangeAllocation;
import dev.tally.application.allocation.SetAllocation;
import dev.tally.application.credit.CreditWrite;
import dev.tally.application.event.EventOrder;
import dev.tally.application.event.EventPage;
import dev.tally.application.event.ListEvents;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.run.CompleteRun;
import dev.tally.application.run.StartRun;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.UsageRecorded;
import dev.tally.domain.meter.Meter;
import dev.tally.domain.meter.Aggregation;
import dev.tally.domain.usage.RecordId;
import dev.tally.application.usage.VoidRecord;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.event.Event;
import dev.tally.domain.event.EventType;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanAlerts;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events are written with the write that causes them, exactly once (R75), on every storage and
 * across two nodes sharing one; in-process listeners hear each once it has committed (R78).
 */
public abstract class EventsContract {

    private static final Instant START = Instant.parse("2026-03-10T12:00:00Z");
    private static final MetricKey EXPORTS = new MetricKey("exports");
    private static final MetricKey SEATS = new MetricKey("seats");

    /** The storage of this node. */
    protected abstract TallyStorage storage();

    /** Another node's storage over the same data (the same storage where there is only one process). */
    protected abstract TallyStorage anotherNode();

    private final ManualClock clock = new ManualClock(START);
    private Tally tally;
    private PlanId plan;

    @BeforeEach
    void setUp() {
        tally = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        plan = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(plan, "Alerts", new PlanLimits(Map.of(EXPORTS, Limit.of(64))))
                .withAllocations(new PlanLimits(Map.of(SEATS, Limit.of(64)))));
    }

    private UserId newSubscriber() {
        UserId user = newUser();
        tally.users().put(PutUser.of(user, plan));
        return user;
    }

    private static Outcome<UsageRecorded> record(Tally on, UserId user, long quantity, String key, boolean enforce) {
        return on.usage().record(new RecordUsage(user, List.of(UsageItem.of(EXPORTS, quantity, key)), enforce));
    }

    private static Outcome<MetricUsage> seats(Tally on, UserId user, long delta, String key) {
        return on.allocations().change(new ChangeAllocation(user, SEATS, BigDecimal.valueOf(delta),
                Optional.ofNullable(key).map(IdempotencyKey::new)));
    }

    private List<Event> events(UserId user) {
        List<Event> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            EventPage page = tally.events().list(new ListEvents(Optional.of(user), Optional.empty(), 7, cursor));
            all.addAll(page.events());
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        return all;
    }

    private List<String> thresholds(UserId user) {
        return events(user).stream().filter(e -> e.type() == EventType.USAGE_THRESHOLD_REACHED)
                .map(e -> e.data().replaceAll(".*\"threshold_percent\":(\\d+).*", "$1")).toList();
    }

    @Test
    void R75_a_write_crossing_80_percent_creates_one_event_with_its_figures_and_retries_create_none() {
        UserId user = newSubscriber();

        record(tally, user, 50, "a", true).orElseThrow();
        assertThat(events(user)).isEmpty();
        record(tally, user, 2, "b", true).orElseThrow();
        record(tally, user, 2, "b", true).orElseThrow();
        record(tally, user, 1, "c", false).orElseThrow();

        List<Event> events = events(user);
        assertThat(events).hasSize(1);
        Event reached = events.get(0);
        assertThat(reached.type()).isEqualTo(EventType.USAGE_THRESHOLD_REACHED);
        assertThat(reached.id()).startsWith("evt_");
        assertThat(reached.user()).isEqualTo(user);
        assertThat(reached.createdAt()).isEqualTo(START);
        assertThat(reached.data()).isEqualTo("{\"metric\":\"exports\",\"threshold_percent\":80,\"used\":52,"
                + "\"limit\":64,\"period\":{\"start\":\"2026-03-01T00:00:00Z\",\"end\":\"2026-04-01T00:00:00Z\"}}");
    }

    @Test
    void R75_one_write_from_below_80_to_the_limit_creates_both_events_in_order() {
        UserId user = newSubscriber();

        record(tally, user, 64, "all", false).orElseThrow();
        record(tally, user, 10, "past", false).orElseThrow();

        assertThat(thresholds(user)).containsExactly("80", "100");
    }

    @Test
    void R75_sixty_four_concurrent_writers_on_two_nodes_create_exactly_one_event_per_threshold() throws Exception {
        Tally other = Tally.create(anotherNode(), clock, Tally.Settings.DEFAULTS);
        UserId user = newSubscriber();

        List<Outcome<UsageRecorded>> first = concurrently(64, 64, i ->
                () -> record(i % 2 == 0 ? tally : other, user, 1, "w" + i, true));
        // Every writer again with its key (a retry), and 64 more that find the limit reached.
        List<Outcome<UsageRecorded>> again = concurrently(64, 128, i ->
                () -> record(i % 2 == 0 ? other : tally, user, 1, "w" + i, true));

        assertThat(first).allMatch(outcome -> outcome.orElseThrow().accepted() == 1);
        assertThat(again.subList(0, 64)).allMatch(outcome -> outcome.orElseThrow().duplicates() == 1);
        assertThat(again.subList(64, 128)).allMatch(outcome -> outcome instanceof Outcome.Refused<?>);
        assertThat(thresholds(user)).containsExactly("80", "100");
        assertThat(events(user)).filteredOn(e -> e.type() == EventType.USAGE_LIMIT_DENIED).hasSize(1);
        assertThat(events(user)).hasSize(3);
    }

    @Test
    void R75_sixty_four_unenforced_writers_each_crossing_both_thresholds_at_once_create_one_of_each()
            throws Exception {
        UserId user = newSubscriber();
        Tally other = Tally.create(anotherNode(), clock, Tally.Settings.DEFAULTS);

        concurrently(64, 64, i -> () -> record(i % 2 == 0 ? tally : other, user, 64, "big" + i, false));

        assertThat(thresholds(user)).containsExactly("80", "100");
    }

    @Test
    void R75_the_first_denial_of_a_metric_in_a_period_creates_one_limit_denied_event() {
        UserId user = newSubscriber();
        record(tally, user, 60, "a", true).orElseThrow();

        assertThat(record(tally, user, 5, "b", true)).isInstanceOf(Outcome.Refused.class);
        assertThat(record(tally, user, 6, "c", true)).isInstanceOf(Outcome.Refused.class);

        List<Event> denied = events(user).stream().filter(e -> e.type() == EventType.USAGE_LIMIT_DENIED).toList();
        assertThat(denied).hasSize(1);
        assertThat(denied.get(0).data()).startsWith("{\"metric\":\"exports\",\"used\":60,\"reserved\":0,"
                + "\"requested\":5,\"limit\":64,");
    }

    @Test
    void R75_thresholds_are_the_plans_own_and_reached_again_in_the_next_period() {
        PlanId custom = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(custom, "Custom", new PlanLimits(Map.of(EXPORTS, Limit.of(10))))
                .withAlerts(new PlanAlerts(List.of(50), Optional.empty())));
        UserId user = newUser();
        tally.users().put(PutUser.of(user, custom));

        record(tally, user, 5, "march", false).orElseThrow();
        clock.set(Instant.parse("2026-04-15T00:00:00Z"));
        record(tally, user, 9, "april", false).orElseThrow();

        assertThat(thresholds(user)).containsExactly("50", "50");
        assertThat(events(user).get(1).data()).contains("\"start\":\"2026-04-01T00:00:00Z\"");
    }

    @Test
    void R75_events_page_oldest_first_filtered_by_user_and_type() {
        UserId one = newSubscriber();
        UserId two = newSubscriber();
        record(tally, one, 64, "a", false).orElseThrow();
        record(tally, two, 52, "a", false).orElseThrow();
        record(tally, one, 1, "b", true);

        EventPage first = tally.events().list(new ListEvents(Optional.of(one), Optional.empty(), 2, Optional.empty()));
        EventPage rest = tally.events().list(new ListEvents(Optional.of(one), Optional.empty(), 2,
                first.nextCursor()));
        EventPage denials = tally.events().list(new ListEvents(Optional.of(one),
                Optional.of(EventType.USAGE_LIMIT_DENIED), 10, Optional.empty()));

        assertThat(first.events()).extracting(Event::type).containsExactly(EventType.USAGE_THRESHOLD_REACHED,
                EventType.USAGE_THRESHOLD_REACHED);
        assertThat(first.nextCursor()).isPresent();
        assertThat(rest.events()).extracting(Event::type).containsExactly(EventType.USAGE_LIMIT_DENIED);
        assertThat(rest.nextCursor()).isEmpty();
        assertThat(denials.events()).hasSize(1).allMatch(e -> e.user().equals(one));
        assertThat(thresholds(two)).containsExactly("80");
    }

    @Test
    void R75_events_page_newest_first_and_a_cursor_reads_on_from_its_place_in_either_order() {
        UserId one = newSubscriber();
        UserId two = newSubscriber();
        record(tally, one, 64, "a", false).orElseThrow();
        record(tally, two, 52, "a", false).orElseThrow();
        record(tally, one, 1, "b", true);
        List<Event> oldestFirst = events(one);

        EventPage newest = tally.events().list(new ListEvents(Optional.of(one), Optional.empty(), 2, Optional.empty(),
                EventOrder.NEWEST_FIRST));
        EventPage older = tally.events().list(new ListEvents(Optional.of(one), Optional.empty(), 2,
                newest.nextCursor(), EventOrder.NEWEST_FIRST));
        EventPage onwards = tally.events().list(new ListEvents(Optional.of(one), Optional.empty(), 2,
                newest.nextCursor(), EventOrder.OLDEST_FIRST));
        EventPage newestDenial = tally.events().list(new ListEvents(Optional.empty(),
                Optional.of(EventType.USAGE_LIMIT_DENIED), 1, Optional.empty(), EventOrder.NEWEST_FIRST));

        assertThat(oldestFirst).extracting(Event::type).containsExactly(EventType.USAGE_THRESHOLD_REACHED,
                EventType.USAGE_THRESHOLD_REACHED, EventType.USAGE_LIMIT_DENIED);
        assertThat(newest.events()).containsExactly(oldestFirst.get(2), oldestFirst.get(1));
        assertThat(older.events()).containsExactly(oldestFirst.get(0));
        assertThat(older.nextCursor()).isEmpty();
        assertThat(onwards.events()).as("after the place the newest-first page stopped").containsExactly(
                oldestFirst.get(2));
        assertThat(newestDenial.events()).extracting(Event::user).containsExactly(one);
    }

    @Test
    void R75_a_run_that_ends_creates_one_run_completed_even_when_its_completion_is_retried() {
        PlanId runs = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(runs, "Runs", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(1)))));
        UserId user = newUser();
        tally.users().put(PutUser.of(user, runs));
        ReportRun run = tally.runs().start(new StartRun(user, Optional.empty(), Optional.empty(),
                Optional.empty())).orElseThrow();
        Optional<IdempotencyKey> done = Optional.of(new IdempotencyKey("end"));
        RunCompletion failed = new RunCompletion(RunStatus.FAILED, 10, 5, Optional.empty(), 0, Optional.empty(),
                Optional.of("boom"), Optional.empty());

        tally.runs().complete(new CompleteRun(user, run.id(), failed, done));
        tally.runs().complete(new CompleteRun(user, run.id(), failed, done));
        tally.runs().start(new StartRun(user, Optional.empty(), Optional.empty(), Optional.empty())).orElseThrow();
        assertThat(tally.runs().start(new StartRun(user, Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOf(Outcome.Refused.class);

        List<Event> events = events(user);
        assertThat(events).extracting(Event::type).containsExactly(EventType.RUN_COMPLETED,
                EventType.USAGE_LIMIT_DENIED);
        assertThat(events.get(0).data()).isEqualTo("{\"run_id\":\"" + run.id()
                + "\",\"status\":\"failed\",\"cost_usd\":0,\"error_code\":\"boom\"}");
    }

    @Test
    void R75_succeeded_runs_reach_80_and_100_percent_of_the_runs_limit_once_each() {
        PlanId runs = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(runs, "Runs", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(5)))));
        UserId user = newUser();
        tally.users().put(PutUser.of(user, runs));
        RunCompletion succeeded = new RunCompletion(RunStatus.SUCCEEDED, 10, 5, Optional.empty(), 0,
                Optional.empty(), Optional.empty(), Optional.empty());

        for (int i = 0; i < 5; i++) {
            ReportRun run = tally.runs().start(new StartRun(user, Optional.empty(), Optional.empty(),
                    Optional.empty())).orElseThrow();
            tally.runs().complete(new CompleteRun(user, run.id(), succeeded, Optional.empty()));
        }

        assertThat(thresholds(user)).containsExactly("80", "100");
        assertThat(events(user)).filteredOn(e -> e.type() == EventType.USAGE_THRESHOLD_REACHED).first()
                .satisfies(e -> assertThat(e.data()).contains("\"metric\":\"runs\"", "\"used\":4", "\"limit\":5"));
    }

    @Test
    void R75_a_balance_falling_to_the_low_mark_creates_credits_balance_low_again_only_after_it_rose_above() {
        PlanId low = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(low, "Low", PlanLimits.none())
                .withAlerts(new PlanAlerts(List.of(), Optional.of(10L))));
        UserId user = newUser();
        tally.users().put(PutUser.of(user, low));

        tally.credits().write(CreditWrite.purchase(user, 30, new IdempotencyKey("buy"))).orElseThrow();
        tally.credits().write(CreditWrite.spend(user, 20, "export", new IdempotencyKey("s1"))).orElseThrow();
        tally.credits().write(CreditWrite.spend(user, 20, "export", new IdempotencyKey("s1"))).orElseThrow();
        tally.credits().write(CreditWrite.spend(user, 5, "export", new IdempotencyKey("s2"))).orElseThrow();
        tally.credits().write(CreditWrite.purchase(user, 1, new IdempotencyKey("b2"))).orElseThrow();
        tally.credits().write(CreditWrite.spend(user, 1, "export", new IdempotencyKey("s3"))).orElseThrow();
        tally.credits().write(CreditWrite.purchase(user, 20, new IdempotencyKey("b3"))).orElseThrow();
        tally.credits().write(CreditWrite.spend(user, 16, "export", new IdempotencyKey("s4"))).orElseThrow();

        List<Event> events = events(user);
        assertThat(events).extracting(Event::type).containsOnly(EventType.CREDITS_BALANCE_LOW);
        assertThat(events).extracting(e -> e.data().replaceAll(".*\"balance\":(\\d+).*", "$1"))
                .containsExactly("10", "9");
    }

    @Test
    void R75_an_allocation_change_crossing_80_percent_creates_one_event_without_a_period_and_retries_create_none() {
        UserId user = newSubscriber();

        seats(tally, user, 51, "a").orElseThrow();
        assertThat(events(user)).isEmpty();
        seats(tally, user, 1, "b").orElseThrow();
        seats(tally, user, 1, "b").orElseThrow();
        // A fall below 80 % and a rise past it again under the same limit are not told twice.
        seats(tally, user, -10, "c").orElseThrow();
        seats(tally, user, 10, "d").orElseThrow();

        List<Event> events = events(user);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).type()).isEqualTo(EventType.USAGE_THRESHOLD_REACHED);
        assertThat(events.get(0).data()).isEqualTo("{\"metric\":\"seats\",\"threshold_percent\":80,\"used\":52,"
                + "\"limit\":64,\"period\":null}");
        assertThat(tally.allocations().list(user).allocations()).filteredOn(a -> a.metric().equals(SEATS))
                .extracting(MetricUsage::used).containsExactly(new BigDecimal("52"));
    }

    @Test
    void R75_sixty_four_concurrent_allocation_increases_on_two_nodes_create_exactly_one_event_per_threshold()
            throws Exception {
        Tally other = Tally.create(anotherNode(), clock, Tally.Settings.DEFAULTS);
        UserId user = newSubscriber();

        List<Outcome<MetricUsage>> first = concurrently(64, 64, i ->
                () -> seats(i % 2 == 0 ? tally : other, user, 1, "s" + i));
        // Every change again with its key (a retry), and 64 more that find the limit reached.
        List<Outcome<MetricUsage>> again = concurrently(64, 128, i ->
                () -> seats(i % 2 == 0 ? other : tally, user, 1, "s" + i));

        assertThat(first).allMatch(outcome -> !(outcome instanceof Outcome.Refused<?>));
        assertThat(first).extracting(outcome -> outcome.orElseThrow().used().intValueExact())
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 64).boxed().toList());
        assertThat(again.subList(0, 64)).allMatch(outcome -> !(outcome instanceof Outcome.Refused<?>));
        assertThat(again.subList(64, 128)).allMatch(outcome -> outcome instanceof Outcome.Refused<?>);
        assertThat(thresholds(user)).containsExactly("80", "100");
        assertThat(events(user)).filteredOn(e -> e.type() == EventType.USAGE_THRESHOLD_REACHED)
                .extracting(Event::data).allMatch(data -> data.contains("\"metric\":\"seats\""))
                .anyMatch(data -> data.contains("\"threshold_percent\":80,\"used\":52,"))
                .anyMatch(data -> data.contains("\"threshold_percent\":100,\"used\":64,"));
        assertThat(events(user)).filteredOn(e -> e.type() == EventType.USAGE_LIMIT_DENIED).hasSize(1);
        assertThat(events(user)).hasSize(3);
    }

    @Test
    void R75_the_first_refused_allocation_increase_creates_one_limit_denied_event() {
        UserId user = newSubscriber();
        seats(tally, user, 60, null).orElseThrow();

        assertThat(seats(tally, user, 5, "b")).isInstanceOf(Outcome.Refused.class);
        assertThat(seats(tally, user, 5, "b")).isInstanceOf(Outcome.Refused.class);
        assertThat(seats(tally, user, 6, "c")).isInstanceOf(Outcome.Refused.class);

        List<Event> denied = events(user).stream().filter(e -> e.type() == EventType.USAGE_LIMIT_DENIED).toList();
        assertThat(denied).hasSize(1);
        assertThat(denied.get(0).data()).isEqualTo("{\"metric\":\"seats\",\"used\":60,\"reserved\":0,"
                + "\"requested\":5,\"limit\":64,\"period\":null}");
    }

    @Test
    void R75_an_operator_setting_an_allocation_past_its_limit_reaches_both_thresholds_once() {
        UserId user = newSubscriber();
        Optional<IdempotencyKey> key = Optional.of(new IdempotencyKey("import"));

        tally.allocations().set(new SetAllocation(user, SEATS, new BigDecimal("70"), key));
        tally.allocations().set(new SetAllocation(user, SEATS, new BigDecimal("70"), key));
        tally.allocations().set(new SetAllocation(user, SEATS, new BigDecimal("10"), Optional.empty()));
        tally.allocations().set(new SetAllocation(user, SEATS, new BigDecimal("64"), Optional.empty()));

        assertThat(thresholds(user)).containsExactly("80", "100");
        assertThat(events(user)).first().satisfies(e -> assertThat(e.data()).contains("\"used\":70"));
    }

    @Test
    void R75_a_plan_change_to_another_allocation_limit_arms_its_thresholds_again() {
        UserId user = newSubscriber();
        seats(tally, user, 52, null).orElseThrow();
        PlanId bigger = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(bigger, "Bigger", PlanLimits.none())
                .withAllocations(new PlanLimits(Map.of(SEATS, Limit.of(100)))));
        tally.users().put(PutUser.of(user, bigger));

        seats(tally, user, 28, null).orElseThrow();

        assertThat(events(user)).extracting(Event::data)
                .containsExactly("{\"metric\":\"seats\",\"threshold_percent\":80,\"used\":52,\"limit\":64,\"period\":null}",
                        "{\"metric\":\"seats\",\"threshold_percent\":80,\"used\":80,\"limit\":100,\"period\":null}");
    }

    @Test
    void R78_a_listener_hears_every_event_once_after_its_commit_has_made_it_visible() throws Exception {
        List<Event> heard = new CopyOnWriteArrayList<>();
        List<Boolean> visibleWhenHeard = new CopyOnWriteArrayList<>();
        tally.events().listen(event -> {
            heard.add(event);
            // Read from another thread: only a committed event is visible there.
            visibleWhenHeard.add(CompletableFuture.supplyAsync(() -> events(event.user()).stream()
                    .anyMatch(e -> e.id().equals(event.id()))).join());
        });
        List<UserId> users = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            users.add(newSubscriber());
        }

        concurrently(16, 16, i -> () -> record(tally, users.get(i % 8), 32, "k" + i, true));

        List<Event> stored = new ArrayList<>();
        users.forEach(user -> stored.addAll(events(user)));
        assertThat(stored).hasSize(16);
        assertThat(heard).containsExactlyInAnyOrderElementsOf(stored);
        assertThat(visibleWhenHeard).hasSize(16).containsOnly(true);
    }

    @Test
    void R67_a_rate_bounded_type_is_counted_exactly_per_window_across_two_nodes() throws Exception {
        UserId user = newUser();
        Instant window = START.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);

        List<Boolean> admitted = concurrently(16, 40, i -> () -> (i % 2 == 0 ? storage() : anotherNode())
                .transactions().inTransaction(() -> (i % 2 == 0 ? storage() : anotherNode()).events()
                        .admit(user, EventType.RUN_COMPLETED, window, 25)));

        assertThat(admitted).filteredOn(Boolean::booleanValue).hasSize(25);
        assertThat(storage().events().admit(user, EventType.RUN_COMPLETED, window.minusSeconds(60), 25))
                .as("a lagging clock's earlier window counts in the later one").isFalse();
        assertThat(storage().events().admit(user, EventType.RUN_COMPLETED, window.plusSeconds(60), 25))
                .as("the next window starts again").isTrue();
        assertThat(storage().events().admit(newUser(), EventType.RUN_COMPLETED, window, 25)).isTrue();
    }

    // --- a void re-arms the thresholds it takes the value back under (R75, R92) ---

    private void voidOf(UserId user, String key) {
        tally.corrections().voidRecord(new VoidRecord(user, RecordId.of(new IdempotencyKey(key)), "mistake"));
    }

    @Test
    void R75_R92_a_void_below_a_threshold_re_arms_it_so_crossing_it_again_creates_a_second_event() {
        UserId user = newSubscriber();
        record(tally, user, 40, "a", true).orElseThrow();
        record(tally, user, 20, "b", true).orElseThrow();
        assertThat(thresholds(user)).as("60 of 64: past 80 %").containsExactly("80");

        voidOf(user, "b");
        assertThat(thresholds(user)).as("the event told stays").containsExactly("80");
        record(tally, user, 20, "c", true).orElseThrow();
        record(tally, user, 1, "d", true).orElseThrow();

        List<Event> reached = events(user);
        assertThat(thresholds(user)).as("crossed again after the void took it under").containsExactly("80", "80");
        assertThat(reached.get(0).id()).isNotEqualTo(reached.get(1).id());
        assertThat(reached.get(1).data()).contains("\"used\":60");
    }

    @Test
    void R75_R92_a_void_that_stays_above_a_threshold_re_arms_only_those_it_falls_under() {
        UserId user = newSubscriber();
        record(tally, user, 60, "a", true).orElseThrow();
        record(tally, user, 4, "b", true).orElseThrow();
        assertThat(thresholds(user)).containsExactly("80", "100");

        voidOf(user, "b");
        record(tally, user, 4, "c", true).orElseThrow();
        assertThat(thresholds(user)).as("60 stays above 80 %% (51.2): only 100 %% was re-armed")
                .containsExactly("80", "100", "100");

        voidOf(user, "c");
        voidOf(user, "c");
        voidOf(user, "a");
        record(tally, user, 64, "d", true).orElseThrow();
        assertThat(thresholds(user)).as("down to 0, then 64: both again").containsExactly("80", "100", "100", "80",
                "100");
    }

    @Test
    void R75_R92_a_void_that_lowers_a_max_meter_below_a_threshold_re_arms_it() {
        String tag = "ev" + newId("").replace("-", "").substring(0, 12);
        MetricKey source = new MetricKey(tag + "_calls");
        MetricKey peak = new MetricKey(tag + "_peak");
        tally.meters().put(Meter.define(peak, source, Aggregation.MAX, Optional.empty(), Map.of(), List.of(),
                Optional.empty()));
        PlanId peaks = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(peaks, "Peaks", new PlanLimits(Map.of(peak, Limit.of(10)))));
        UserId user = newUser();
        tally.users().put(PutUser.of(user, peaks));
        java.util.function.BiConsumer<Long, String> call = (quantity, key) -> tally.usage().record(new RecordUsage(
                user, List.of(UsageItem.of(source, quantity, key)), true)).orElseThrow();

        call.accept(9L, "a");
        call.accept(3L, "b");
        voidOf(user, "a");
        call.accept(8L, "c");
        voidOf(user, "b");

        assertThat(thresholds(user)).as("9 of 10, then 3 after the void, then 8 again").containsExactly("80", "80");
    }

    @Test
    void R75_R92_a_void_that_raises_a_latest_meter_across_a_threshold_creates_its_event() {
        String tag = "ev" + newId("").replace("-", "").substring(0, 12);
        MetricKey source = new MetricKey(tag + "_gauge");
        MetricKey level = new MetricKey(tag + "_level");
        tally.meters().put(Meter.define(level, source, Aggregation.LATEST, Optional.empty(), Map.of(), List.of(),
                Optional.empty()));
        PlanId levels = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(levels, "Levels", new PlanLimits(Map.of(level, Limit.of(10)))));
        UserId user = newUser();
        tally.users().put(PutUser.of(user, levels));
        tally.usage().record(new RecordUsage(user, List.of(
                new UsageItem(source, BigDecimal.valueOf(9), Optional.of(START.minusSeconds(20)),
                        new IdempotencyKey("high"), Map.of()),
                new UsageItem(source, BigDecimal.valueOf(2), Optional.of(START.minusSeconds(10)),
                        new IdempotencyKey("low"), Map.of())), false)).orElseThrow();
        assertThat(thresholds(user)).as("the latest is 2").isEmpty();

        voidOf(user, "low");

        assertThat(tally.meters().value(user, level, false, Optional.empty()).value()).isEqualByComparingTo("9");
        assertThat(thresholds(user)).as("back to 9 of 10").containsExactly("80");
    }
}
