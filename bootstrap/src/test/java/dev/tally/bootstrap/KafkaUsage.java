package dev.tally.bootstrap;

import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.adapter.kafka.KafkaIngest;
import dev.tally.adapter.kafka.KafkaIngestSettings;
import dev.tally.adapter.http.ServerSettings;
import dev.tally.application.Tally;
import dev.tally.application.port.ReconcileProgress;
import dev.tally.application.user.PutUser;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the Kafka tests share (R95): users on a plan, usage messages keyed by their idempotency key,
 * Tally nodes that consume a topic in one group, and the count of what reached the ledger.
 */
final class KafkaUsage {

    static final String ADMIN_KEY = "kafka-admin-key-0123456789";
    static final MetricKey EVENTS = new MetricKey("events");
    static final MetricKey CALLS = new MetricKey("calls");
    static final long CALLS_LIMIT = 5;
    static final PlanId PLAN = new PlanId("kafka");

    private final int users;
    /** The idempotency keys sent per user, each once however often it was sent. */
    private final Map<UserId, Set<String>> sent = new LinkedHashMap<>();
    private long sends;

    KafkaUsage(int users) {
        this.users = users;
    }

    /** The plan (events unlimited, calls capped) and the users, on the database at {@code url}. */
    void setUp(String url) {
        try (TallyApp app = TallyApp.open(url, Clock.systemUTC())) {
            app.tally().plans().put(Plan.of(PLAN, "Kafka", new PlanLimits(Map.of(CALLS, Limit.of(CALLS_LIMIT)))));
            for (int u = 0; u < users; u++) {
                app.tally().users().put(PutUser.of(user(u), PLAN));
            }
        }
    }

    static UserId user(int u) {
        return new UserId("k-user-" + u);
    }

    /** Record {@code i}: one event of user {@code i mod users}, keyed {@code r-i} on the log and in its body. */
    ProducerRecord<String, String> record(String topic, long i) {
        UserId user = user((int) (i % users));
        String key = "r-" + i;
        synchronized (sent) {
            sent.computeIfAbsent(user, u -> new HashSet<>()).add(key);
            sends++;
        }
        return new ProducerRecord<>(topic, key, "{\"user_id\":\"" + user + "\",\"metric\":\"events\",\"quantity\":1,"
                + "\"idempotency_key\":\"" + key + "\"}");
    }

    /** Sends records {@code from} (inclusive) to {@code to} (exclusive) and waits for the broker. */
    void send(KafkaProducer<String, String> producer, String topic, long from, long to) {
        for (long i = from; i < to; i++) {
            producer.send(record(topic, i));
        }
        producer.flush();
    }

    long distinctSent() {
        synchronized (sent) {
            return sent.values().stream().mapToLong(Set::size).sum();
        }
    }

    long sends() {
        synchronized (sent) {
            return sends;
        }
    }

    /** A node: Tally over {@code url}, serving HTTP on a free port and consuming {@code settings}. */
    record Node(TallyApp app, KafkaIngest ingest, int port) implements AutoCloseable {

        static Node start(String url, KafkaIngestSettings settings) {
            TallyApp app = TallyApp.open(url, Clock.systemUTC());
            app.ensureAdminKey(Optional.of(ADMIN_KEY));
            int port = app.serve(ServerSettings.onPort(0));
            return new Node(app, app.consume(settings), port);
        }

        long counted() {
            return ingest.status().counted();
        }

        @Override
        public void close() {
            app.close();
        }
    }

    /** Settings for {@code topic} in a group of its own, quick to notice a member that left. */
    static KafkaIngestSettings settings(String topic) {
        return KafkaIngestSettings.of(KafkaBroker.bootstrap(), topic).withGroup("tally-" + topic)
                .withClientProperties(KafkaBroker.QUICK_GROUP);
    }

    /**
     * What the ledger at {@code url} holds of what was sent: a sent key without a fact is lost, a
     * fact beyond one per sent key is doubled, usage shown must equal the facts, and no rollup may
     * drift from its facts (R10).
     */
    Figures verify(String url, long deadLettered) {
        try (JdbcStorage storage = JdbcStorage.open(url, 2)) {
            Tally tally = Tally.create(storage.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
            long counted = 0;
            long lost = 0;
            long doubled = 0;
            List<String> anomalies = new ArrayList<>();
            for (Map.Entry<UserId, Set<String>> entry : sent.entrySet()) {
                List<String> rows = storage.jdbi().withHandle(handle -> handle.createQuery(
                                "SELECT idempotency_key FROM usage_facts WHERE user_id = :user AND metric = 'events'")
                        .bind("user", entry.getKey().value()).mapTo(String.class).list());
                Set<String> present = new HashSet<>(rows);
                long missing = entry.getValue().stream().filter(key -> !present.contains(key)).count();
                lost += missing;
                doubled += rows.size() - (entry.getValue().size() - missing);
                long shown = tally.usage().usage(entry.getKey(), Optional.empty()).metrics().stream()
                        .filter(metric -> metric.metric().equals(EVENTS))
                        .mapToLong(metric -> metric.used().longValueExact()).sum();
                counted += shown;
                if (shown != rows.size()) {
                    anomalies.add(entry.getKey() + " shows " + shown + " events over " + rows.size() + " facts");
                }
            }
            int drifted = storage.ports().usage().reconcile(false, ReconcileProgress.NONE).drifts().size();
            return new Figures(sends(), distinctSent(), counted, deadLettered, lost, doubled, drifted, anomalies);
        }
    }

    /**
     * @param sends    messages the producer sent, retries included
     * @param distinct distinct records among them (by idempotency key)
     */
    record Figures(long sends, long distinct, long counted, long deadLettered, long lost, long doubled, int drifted,
                   List<String> anomalies) {

        void print(String test, double seconds) {
            System.out.printf("%s: sent %d (%d distinct), counted %d, dead-lettered %d, lost %d, doubled %d,"
                            + " rollups drifted %d, in %.1f s (%.0f records/s)%n", test, sends, distinct, counted,
                    deadLettered, lost, doubled, drifted, seconds, distinct / seconds);
        }
    }
}
