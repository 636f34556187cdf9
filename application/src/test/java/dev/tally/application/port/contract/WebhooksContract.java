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
import dev.tally.domain.DomainException;
import dev.tally.domain.event.Event;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import dev.tally.domain.webhook.RetrySchedule;
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

    /** What a receiver was sent. */
    private record Sent(URI url, String secret, String eventId, String body) {
    }

    private final ManualClock clock = new ManualClock(START);
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    /** Status codes each receiver (by path) answers, in turn; 200 once they run out. */
    private final Map<String, List<Integer>> answers = new ConcurrentHashMap<>();
    private final WebhookSender receiver = (url, secret, eventId, body) -> {
        sent.add(new Sent(url, secret, eventId, body));
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

        List<WebhookStore.Due> claimed = here.claimDue(clock.instant(), WebhookDispatcher.LEASE, 100).stream()
                .filter(due -> due.endpoint().id().startsWith(prefix)).toList();
        List<WebhookStore.Due> meanwhile = there.claimDue(clock.instant().plus(WebhookDispatcher.LEASE).minusSeconds(1),
                WebhookDispatcher.LEASE, 100).stream().filter(due -> due.endpoint().id().startsWith(prefix)).toList();
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
        assertThat(strict.webhooks().put(new PutEndpoint(prefix + "-public", "https://192.0.2.1/hook",
                List.of("*"), Optional.empty())).created()).isTrue();
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
}
