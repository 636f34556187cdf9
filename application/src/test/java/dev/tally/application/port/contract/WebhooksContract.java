package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newId;
import static dev.tally.application.port.contract.Fixtures.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import dev.tally.application.event.ListEvents;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.WebhookSender;
import dev.tally.application.port.WebhookStore;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.user.PutUser;
import dev.tally.application.webhook.PutEndpoint;
import dev.tally.application.webhook.SavedEndpoint;
import dev.tally.application.webhook.WebhookDispatcher;
import dev.tally.application.webhook.WebhookService;
import dev.tally.domain.DomainException;
import dev.tally.domain.event.Event;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import dev.tally.domain.webhook.RetrySchedule;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook deliveries on every storage (R76): created with their event for each enabled subscribed
 * endpoint, attempted by one node at a time under a lease, every attempt recorded, retried on the
 * {@link RetrySchedule} for three days (a {@link ManualClock} runs them in milliseconds), and
 * redelivered on demand. The HTTP posting itself is the adapters' (a receiver here records).
 */
public abstract class WebhooksContract {

    private static final Instant START = Instant.parse("2026-03-10T12:00:00Z");
    private static final MetricKey EXPORTS = new MetricKey("exports");

    protected abstract TallyStorage storage();

    /** Another node's storage over the same data (the same storage where there is only one process). */
    protected abstract TallyStorage anotherNode();

    /** What a receiver was sent, and the addresses the sender was allowed to connect to. */
    private record Sent(URI url, String secret, String eventId, String body, List<InetAddress> addresses) {
    }

    private final ManualClock clock = new ManualClock(START);
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    /** Status codes each receiver (by path) answers, in turn; 200 once they run out. */
    private final Map<String, List<Integer>> answers = new ConcurrentHashMap<>();
    private final WebhookSender receiver = (target, secret, eventId, body) -> {
        URI url = target.url();
        sent.add(new Sent(url, secret, eventId, body, target.addresses()));
        List<Integer> queued = answers.getOrDefault(url.getPath().substring(1), List.of());
        int status = queued.isEmpty() ? 200 : queued.remove(0);
        return new WebhookSender.Result(OptionalInt.of(status), 3, Optional.empty());
    };
    private Tally tally;
    private WebhookDispatcher dispatcher;
    private PlanId plan;
    private String prefix;

    @BeforeEach
    void setUp() {
        // Each test's endpoints are its own, so tests sharing a database do not see each other's.
        tally = Tally.create(storage(), clock, Tally.Settings.DEFAULTS.allowingPrivateWebhooks(true));
        dispatcher = tally.webhookDispatcher(receiver);
        plan = new PlanId(newId("plan"));
        tally.plans().put(Plan.of(plan, "Hooks", new PlanLimits(Map.of(EXPORTS, Limit.of(10)))));
        prefix = newId("hook");
    }

    @AfterEach
    void deleteEndpoints() {
        tally.webhooks().list().stream().filter(e -> e.id().startsWith(prefix))
                .forEach(e -> tally.webhooks().delete(e.id()));
    }

    private void answer(String name, Integer... statuses) {
        answers.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).addAll(List.of(statuses));
    }

    private SavedEndpoint endpoint(String name, List<String> events, boolean enabled) {
        return tally.webhooks().put(new PutEndpoint(prefix + "-" + name, "http://127.0.0.1:9/" + name, events,
                Optional.of(enabled)));
    }

    /** A user whose usage crosses 80 %: one usage.threshold_reached. */
    private Event crossing() {
        UserId user = newUser();
        tally.users().put(PutUser.of(user, plan));
        tally.usage().record(new RecordUsage(user, List.of(UsageItem.of(EXPORTS, 8, "k")), false)).orElseThrow();
        return tally.events().list(ListEvents.of(user)).events().get(0);
    }

    private List<Sent> sentTo(String name) {
        return sent.stream().filter(s -> s.url().getPath().equals("/" + name)).toList();
    }

    private void dispatchAll(WebhookDispatcher on) {
        while (on.dispatchDue() > 0) {
            // Until nothing is due now.
        }
    }

    @Test
    void R76_an_event_is_posted_once_to_each_enabled_endpoint_subscribed_to_it_with_its_secret() {
        SavedEndpoint all = endpoint("all", List.of("*"), true);
        endpoint("thresholds", List.of("usage.threshold_reached"), true);
        endpoint("runs", List.of("run.completed"), true);
        endpoint("off", List.of("*"), false);
        Event event = crossing();

        dispatchAll(dispatcher);
        dispatchAll(dispatcher);

        assertThat(sentTo("all")).hasSize(1);
        assertThat(sentTo("thresholds")).hasSize(1);
        assertThat(sentTo("runs")).isEmpty();
        assertThat(sentTo("off")).isEmpty();
        Sent first = sentTo("all").get(0);
        assertThat(first.eventId()).isEqualTo(event.id());
        assertThat(first.secret()).isEqualTo(all.endpoint().secret()).startsWith("whsec_");
        assertThat(first.body()).isEqualTo(event.json()).startsWith("{\"id\":\"" + event.id()
                + "\",\"type\":\"usage.threshold_reached\",\"created_at\":\"2026-03-10T12:00:00Z\",\"user_id\":\"");
        List<WebhookStore.Attempt> attempts = tally.webhooks().attempts(all.endpoint().id());
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).eventId()).isEqualTo(event.id());
        assertThat(attempts.get(0).statusCode()).hasValue(200);
        assertThat(attempts.get(0).attempt()).isEqualTo(1);
        assertThat(attempts.get(0).at()).isEqualTo(START);
    }

    @Test
    void R76_a_failing_receiver_is_retried_with_growing_jittered_delays_for_three_days_then_failed() {
        SavedEndpoint down = endpoint("down", List.of("*"), true);
        crossing();
        answer("down", IntStream.range(0, 1000).mapToObj(i -> 503).toArray(Integer[]::new));

        List<Instant> attemptedAt = new ArrayList<>();
        for (int step = 0; step < 10_000 && attemptedAt.size() < 200; step++) {
            int before = sentTo("down").size();
            dispatchAll(dispatcher);
            if (sentTo("down").size() > before) {
                attemptedAt.add(clock.instant());
            }
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(attemptedAt.size()).isBetween(15, 40);
        Duration tried = Duration.between(attemptedAt.get(0), attemptedAt.get(attemptedAt.size() - 1));
        assertThat(tried).isGreaterThanOrEqualTo(RetrySchedule.GIVE_UP_AFTER);
        assertThat(tried).isLessThan(RetrySchedule.GIVE_UP_AFTER.plus(RetrySchedule.MAX_DELAY.multipliedBy(2)));
        for (int i = 1; i < 6; i++) {
            long gap = Duration.between(attemptedAt.get(i - 1), attemptedAt.get(i)).toSeconds();
            long base = RetrySchedule.FIRST_DELAY.toSeconds() << (i - 1);
            // The clock moves a minute at a time, so a gap is the jittered delay rounded up to a minute.
            assertThat(gap).as("gap " + i).isBetween((long) (base * 0.8), (long) (base * 1.2) + 60);
        }
        List<WebhookStore.Attempt> attempts = tally.webhooks().attempts(down.endpoint().id());
        assertThat(attempts).hasSize(attemptedAt.size());
        assertThat(attempts.get(0).attempt()).isEqualTo(attemptedAt.size());
        assertThat(attempts).allSatisfy(a -> assertThat(a.statusCode()).hasValue(503));
        clock.advance(Duration.ofDays(30));
        assertThat(dispatcher.dispatchDue()).isZero();
    }

    @Test
    void R76_a_receiver_that_fails_twice_gets_the_event_on_the_third_attempt_and_no_more() {
        SavedEndpoint flaky = endpoint("flaky", List.of("*"), true);
        crossing();
        answer("flaky", 500, 502);

        for (int minute = 0; minute < 10; minute++) {
            dispatchAll(dispatcher);
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(sentTo("flaky")).hasSize(3).extracting(Sent::body).containsOnly(sentTo("flaky").get(0).body());
        assertThat(tally.webhooks().attempts(flaky.endpoint().id())).extracting(a -> a.statusCode().getAsInt())
                .containsExactly(200, 502, 500);
    }

    @Test
    void R76_a_claimed_delivery_is_attempted_by_no_other_node_until_its_lease_has_run_out() {
        endpoint("leased", List.of("*"), true);
        crossing();
        WebhookStore here = storage().webhooks();
        WebhookStore there = anotherNode().webhooks();

        List<WebhookStore.Due> claimed = claim(here, clock.instant());
        List<WebhookStore.Due> meanwhile = claim(there, clock.instant().plus(WebhookDispatcher.LEASE).minusSeconds(1));
        // The node that claimed it died mid-attempt: once the lease has run out, another node takes it.
        clock.advance(WebhookDispatcher.LEASE);
        dispatchAll(tally.webhookDispatcher(receiver));

        assertThat(claimed).hasSize(1);
        assertThat(meanwhile).isEmpty();
        assertThat(sentTo("leased")).hasSize(1);
    }

    @Test
    void R76_concurrent_dispatchers_on_two_nodes_attempt_each_delivery_exactly_once() throws Exception {
        endpoint("busy", List.of("*"), true);
        for (int i = 0; i < 40; i++) {
            crossing();
        }
        Tally other = Tally.create(anotherNode(), clock, Tally.Settings.DEFAULTS.allowingPrivateWebhooks(true));
        WebhookDispatcher there = other.webhookDispatcher(receiver);

        concurrently(8, 8, i -> () -> {
            dispatchAll(i % 2 == 0 ? dispatcher : there);
            return null;
        });

        List<String> ids = sentTo("busy").stream().map(Sent::eventId).toList();
        assertThat(ids).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void R76_an_operator_redelivers_an_event_and_an_unknown_one_is_404() {
        endpoint("again", List.of("*"), true);
        Event event = crossing();
        dispatchAll(dispatcher);

        int due = tally.webhooks().redeliver(event.id());
        dispatchAll(dispatcher);

        assertThat(due).isEqualTo(1);
        assertThat(sentTo("again")).hasSize(2).extracting(Sent::eventId).containsOnly(event.id());
        assertThatThrownBy(() -> tally.webhooks().redeliver("evt_missing"))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("event_not_found"));
    }

    @Test
    void R76_an_endpoint_keeps_its_secret_when_replaced_and_a_deleted_one_gets_nothing() {
        SavedEndpoint created = endpoint("kept", List.of("*"), true);
        SavedEndpoint replaced = tally.webhooks().put(new PutEndpoint(prefix + "-kept", "http://127.0.0.1:9/moved",
                List.of("run.completed", "usage.threshold_reached"), Optional.empty()));
        endpoint("gone", List.of("*"), true);
        crossing();
        tally.webhooks().delete(prefix + "-gone");
        dispatchAll(dispatcher);

        assertThat(created.created()).isTrue();
        assertThat(replaced.created()).isFalse();
        assertThat(replaced.endpoint().secret()).isEqualTo(created.endpoint().secret());
        assertThat(replaced.endpoint().events()).containsExactly("run.completed", "usage.threshold_reached");
        assertThat(tally.webhooks().list()).extracting(e -> e.id()).contains(prefix + "-kept")
                .doesNotContain(prefix + "-gone");
        assertThat(sentTo("moved")).hasSize(1);
        assertThat(sentTo("gone")).isEmpty();
        assertThatThrownBy(() -> tally.webhooks().attempts(prefix + "-gone"))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.code()).isEqualTo("webhook_endpoint_not_found"));
    }

    @Test
    void R77_private_and_loopback_urls_are_refused_unless_allowed_and_so_are_other_schemes() {
        Tally strict = Tally.create(storage(), clock, Tally.Settings.DEFAULTS);
        List<String> refused = List.of("http://127.0.0.1/hook", "http://localhost:8080/hook", "http://10.1.2.3/",
                "http://192.168.0.10/", "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data",
                "http://[::1]/", "http://[fd00::1]/", "http://100.64.0.1/", "http://0.0.0.0/", "ftp://93.184.215.14/",
                "file:///etc/passwd", "not a url");

        List<String> codes = refused.stream().map(url -> {
            try {
                strict.webhooks().put(new PutEndpoint(prefix + "-x", url, List.of("*"), Optional.empty()));
                return "accepted " + url;
            } catch (DomainException e) {
                return e.code();
            }
        }).collect(Collectors.toList());

        assertThat(codes).containsOnly("invalid_webhook_url");
        assertThat(strict.webhooks().put(new PutEndpoint(prefix + "-public", "https://93.184.215.14/hook",
                List.of("*"), Optional.of(false))).created()).isTrue();
        assertThat(strict.webhooks().list()).extracting(e -> e.id()).doesNotContain(prefix + "-x");
    }

    @Test
    void R76_delivery_counts_by_state() {
        endpoint("counted", List.of("*"), true);
        WebhookStore.Counts before = tally.webhooks().counts();
        IntStream.range(0, 3).forEach(i -> crossing());
        WebhookStore.Counts queued = tally.webhooks().counts();
        answer("counted", 500);
        dispatchAll(dispatcher);
        WebhookStore.Counts after = tally.webhooks().counts();

        assertThat(queued.pending() - before.pending()).isEqualTo(3);
        assertThat(after.delivered() - before.delivered()).isEqualTo(2);
        assertThat(after.pending() - before.pending()).isEqualTo(1);
    }

    /** This test's deliveries that {@code store} claims at {@code at}, under the dispatcher's lease and share. */
    private List<WebhookStore.Due> claim(WebhookStore store, Instant at) {
        return store.claimDue(at, WebhookDispatcher.LEASE, 100, WebhookDispatcher.PER_ENDPOINT).stream()
                .filter(due -> due.endpoint().id().startsWith(prefix)).toList();
    }

    private WebhookStore.Attempt attemptOf(WebhookStore.Due due, int status) {
        return new WebhookStore.Attempt(due.event().id(), due.attemptsMade() + 1, OptionalInt.of(status), 5,
                Optional.empty(), clock.instant());
    }

    @Test
    void R77_disabling_an_endpoint_stops_its_pending_retries_and_deleting_one_drops_them() {
        SavedEndpoint off = endpoint("off-later", List.of("*"), true);
        endpoint("gone-later", List.of("*"), true);
        crossing();
        answer("off-later", 503, 503, 503);
        answer("gone-later", 503, 503, 503);
        dispatchAll(dispatcher);

        tally.webhooks().put(new PutEndpoint(off.endpoint().id(), off.endpoint().url(), List.of("*"),
                Optional.of(false)));
        tally.webhooks().delete(prefix + "-gone-later");
        for (int hour = 0; hour < 72; hour++) {
            clock.advance(Duration.ofHours(1));
            dispatchAll(dispatcher);
        }

        assertThat(sentTo("off-later")).hasSize(1);
        assertThat(sentTo("gone-later")).hasSize(1);
        tally.webhooks().put(new PutEndpoint(off.endpoint().id(), off.endpoint().url(), List.of("*"),
                Optional.of(true)));
        dispatchAll(dispatcher);
        assertThat(sentTo("off-later")).as("enabled again, its pending delivery resumes").hasSize(2);
    }

    @Test
    void R77_an_attempt_whose_claim_another_node_took_over_is_not_recorded_and_no_attempt_number_is_recorded_twice() {
        SavedEndpoint slow = endpoint("taken-over", List.of("*"), true);
        crossing();
        WebhookStore here = storage().webhooks();
        WebhookStore there = anotherNode().webhooks();
        WebhookStore.Due first = claim(here, clock.instant()).get(0);
        clock.advance(WebhookDispatcher.LEASE.plusSeconds(1));
        WebhookStore.Due second = claim(there, clock.instant()).get(0);

        boolean lateRecorded = here.recorded(first, attemptOf(first, 200), true, Optional.empty());
        boolean recorded = there.recorded(second, attemptOf(second, 503), false,
                Optional.of(clock.instant().plusSeconds(60)));
        boolean again = there.recorded(second, attemptOf(second, 503), false,
                Optional.of(clock.instant().plusSeconds(60)));

        assertThat(second.deliveryId()).isEqualTo(first.deliveryId());
        assertThat(second.attemptsMade()).isEqualTo(first.attemptsMade());
        assertThat(lateRecorded).as("the claim that lapsed").isFalse();
        assertThat(recorded).isTrue();
        assertThat(again).as("the same claim twice").isFalse();
        assertThat(tally.webhooks().attempts(slow.endpoint().id())).singleElement()
                .satisfies(a -> assertThat(a.statusCode()).hasValue(503));
        clock.advance(Duration.ofMinutes(1));
        WebhookStore.Due third = claim(here, clock.instant()).get(0);
        assertThat(third.attemptsMade()).isEqualTo(1);
    }

    @Test
    void R77_a_redelivery_asked_during_an_attempt_is_made_after_it_not_beside_it() {
        SavedEndpoint busy = endpoint("busy-again", List.of("*"), true);
        Event event = crossing();
        WebhookStore store = storage().webhooks();
        WebhookStore.Due underWay = claim(store, clock.instant()).get(0);

        tally.webhooks().redeliver(event.id());
        List<WebhookStore.Due> meanwhile = claim(store, clock.instant());
        store.recorded(underWay, attemptOf(underWay, 200), true, Optional.empty());
        dispatchAll(dispatcher);

        assertThat(meanwhile).isEmpty();
        assertThat(sentTo("busy-again")).hasSize(1);
        assertThat(tally.webhooks().attempts(busy.endpoint().id())).extracting(WebhookStore.Attempt::attempt)
                .containsExactly(2, 1);
    }

    @Test
    void R77_a_claim_takes_one_delivery_per_endpoint_and_none_of_an_endpoint_with_two_under_way() {
        endpoint("crowded", List.of("*"), true);
        endpoint("quiet", List.of("*"), true);
        for (int i = 0; i < 5; i++) {
            crossing();
        }
        WebhookStore store = storage().webhooks();

        List<WebhookStore.Due> first = claim(store, clock.instant());
        List<WebhookStore.Due> second = claim(anotherNode().webhooks(), clock.instant());
        List<WebhookStore.Due> third = claim(store, clock.instant());

        assertThat(first).extracting(d -> d.endpoint().id()).containsExactlyInAnyOrder(prefix + "-crowded",
                prefix + "-quiet");
        assertThat(second).hasSize(2);
        assertThat(third).as("both endpoints have " + WebhookDispatcher.PER_ENDPOINT + " under way").isEmpty();
    }

    @Test
    void R77_a_slow_endpoint_holds_only_its_own_share_and_never_delays_another() throws Exception {
        endpoint("stuck", List.of("*"), true);
        endpoint("healthy", List.of("*"), true);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger stuckAtOnce = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostStuckAtOnce = new java.util.concurrent.atomic.AtomicInteger();
        WebhookSender stalling = (target, secret, eventId, body) -> {
            if (target.url().getPath().equals("/stuck")) {
                mostStuckAtOnce.accumulateAndGet(stuckAtOnce.incrementAndGet(), Math::max);
                try {
                    release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stuckAtOnce.decrementAndGet();
            }
            return receiver.send(target, secret, eventId, body);
        };
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            WebhookDispatcher parallel = tally.webhookDispatcher(stalling, threads, 8);
            for (int i = 0; i < 10; i++) {
                crossing();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sentTo("healthy").size() < 10 && System.nanoTime() < deadline) {
                parallel.dispatchDue();
                parallel.awaitAttemptEnd(Duration.ofMillis(20));
            }

            assertThat(sentTo("healthy")).hasSize(10);
            assertThat(mostStuckAtOnce.get()).isEqualTo(WebhookDispatcher.PER_ENDPOINT);
        } finally {
            release.countDown();
            threads.shutdown();
            assertThat(threads.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void R77_an_attempt_connects_only_to_the_addresses_checked_for_it_and_a_name_that_turns_private_is_refused() {
        java.util.Deque<String> answers = new java.util.concurrent.ConcurrentLinkedDeque<>(
                List.of("93.184.215.14", "93.184.215.14", "127.0.0.1"));
        Tally strict = Tally.create(storage(), clock, Tally.Settings.DEFAULTS.resolvingWebhookHostsWith(
                new dev.tally.application.port.HostResolver() {
                    @Override
                    public List<InetAddress> resolve(String host) throws java.net.UnknownHostException {
                        String next = answers.poll();
                        return List.of(InetAddress.getByName(next == null ? "127.0.0.1" : next));
                    }

                    @Override
                    public List<InetAddress> ownAddresses() {
                        return List.of();
                    }
                }));
        SavedEndpoint rebinding = strict.webhooks().put(new PutEndpoint(prefix + "-rebinding",
                "https://rebinding.example.com/rebinding", List.of("*"), Optional.empty()));
        crossing();
        answer("rebinding", 503);
        WebhookDispatcher there = strict.webhookDispatcher(receiver);

        dispatchAll(there);
        clock.advance(Duration.ofHours(1));
        dispatchAll(there);

        assertThat(sentTo("rebinding")).singleElement().satisfies(s -> {
            assertThat(s.url().getHost()).isEqualTo("rebinding.example.com");
            assertThat(s.addresses()).extracting(InetAddress::getHostAddress).containsExactly("93.184.215.14");
        });
        assertThat(strict.webhooks().attempts(rebinding.endpoint().id())).first()
                .satisfies(a -> assertThat(a.error()).hasValueSatisfying(e -> assertThat(e).contains("127.0.0.1")));
    }

    @Test
    void R77_an_attempt_that_could_not_end_inside_its_lease_is_not_started() {
        java.util.concurrent.atomic.AtomicBoolean slowLookups = new java.util.concurrent.atomic.AtomicBoolean();
        Tally lagging = Tally.create(storage(), clock, Tally.Settings.DEFAULTS.allowingPrivateWebhooks(true)
                .resolvingWebhookHostsWith(new dev.tally.application.port.HostResolver() {
                    @Override
                    public List<InetAddress> resolve(String host) throws java.net.UnknownHostException {
                        if (slowLookups.get()) {
                            // A name lookup that took most of the lease.
                            clock.advance(WebhookDispatcher.LEASE.minus(WebhookSender.TIMEOUT));
                        }
                        return List.of(InetAddress.getByName("127.0.0.1"));
                    }

                    @Override
                    public List<InetAddress> ownAddresses() {
                        return List.of();
                    }
                }));
        lagging.webhooks().put(new PutEndpoint(prefix + "-late", "http://late.example.com/late", List.of("*"),
                Optional.empty()));
        crossing();
        slowLookups.set(true);

        lagging.webhookDispatcher(receiver).dispatchDue();

        assertThat(sentTo("late")).isEmpty();
        assertThat(tally.webhooks().attempts(prefix + "-late")).isEmpty();
    }

    @Test
    void R77_an_operator_has_at_most_100_endpoints_and_the_101st_is_409_changing_nothing() {
        int existing = tally.webhooks().list().size();
        for (int i = existing; i < WebhookService.MAX_ENDPOINTS; i++) {
            endpoint("n" + i, List.of("*"), true);
        }

        assertThatThrownBy(() -> endpoint("one-too-many", List.of("*"), true))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.code()).isEqualTo("too_many_webhook_endpoints"));
        assertThat(tally.webhooks().list()).hasSize(WebhookService.MAX_ENDPOINTS)
                .extracting(e -> e.id()).doesNotContain(prefix + "-one-too-many");
        assertThat(endpoint("n" + existing, List.of("run.completed"), false).created()).as("a replacement").isFalse();
    }

    @Test
    void R77_concurrent_creations_of_one_endpoint_make_it_once_and_none_is_refused() throws Exception {
        String id = prefix + "-raced";

        List<SavedEndpoint> saved = concurrently(8, 8, i -> () -> tally.webhooks().put(new PutEndpoint(id,
                "http://127.0.0.1:9/raced", List.of("*"), Optional.of(false))));

        assertThat(saved).filteredOn(SavedEndpoint::created).hasSize(1);
        assertThat(tally.webhooks().list()).extracting(e -> e.id()).containsOnlyOnce(id);
    }
}
