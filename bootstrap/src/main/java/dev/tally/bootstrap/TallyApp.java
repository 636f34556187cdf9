package dev.tally.bootstrap;

import dev.tally.adapter.http.ServerSettings;
import dev.tally.adapter.http.TallyServer;
import dev.tally.adapter.kafka.KafkaIngest;
import dev.tally.adapter.kafka.KafkaIngestSettings;
import dev.tally.application.Tally;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: storage, the use cases over it, the HTTP server, the background sweep
 * of timed-out runs and, if asked, the consumer of usage from Kafka, wired by hand. Every command builds one of these.
 */
public final class TallyApp implements AutoCloseable {

    /** How often runs still running after the timeout are ended (R26). */
    public static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(TallyApp.class);

    private final OpenStorage storage;
    private final Tally tally;
    private TallyServer server;
    private ScheduledExecutorService sweeper;
    private KafkaIngest ingest;

    private TallyApp(OpenStorage storage, Tally tally) {
        this.storage = storage;
        this.tally = tally;
    }

    /** Opens (and migrates) the database and wires the use cases over it. */
    public static TallyApp open(String dbUrl, Clock clock) {
        return open(dbUrl, clock, Tally.Settings.DEFAULTS);
    }

    /** {@link #open(String, Clock)} with operator settings. */
    public static TallyApp open(String dbUrl, Clock clock, Tally.Settings settings) {
        OpenStorage storage = OpenStorage.open(dbUrl);
        try {
            return new TallyApp(storage, Tally.create(storage.ports(), clock, settings));
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    public Tally tally() {
        return tally;
    }

    public String storageDescription() {
        return storage.description();
    }

    /**
     * Installs the operator's admin key if one is configured, revoking the admin key it replaces
     * (R63; a key that was revoked is refused); otherwise, when no admin key that is not revoked
     * exists, generates one. Returns the generated key, which is stored only as a hash (R61) and so
     * must be shown now or never.
     */
    public Optional<String> ensureAdminKey(Optional<String> configured) {
        if (configured.isPresent()) {
            tally.access().installAdminKey(configured.get());
            return Optional.empty();
        }
        if (tally.access().hasAdminKey()) {
            return Optional.empty();
        }
        return Optional.of(tally.access().createAdminKey());
    }

    /** Starts the HTTP API with the default settings and the sweep; returns the port it listens on. */
    public int serve(int port) {
        return serve(ServerSettings.onPort(port));
    }

    /** Starts the HTTP API and the sweep; returns the port it listens on. */
    public synchronized int serve(ServerSettings settings) {
        if (server != null) {
            throw new IllegalStateException("already serving on port " + server.port());
        }
        server = TallyServer.start(tally, settings);
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tally-run-sweep");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY.toSeconds(), SWEEP_EVERY.toSeconds(),
                TimeUnit.SECONDS);
        return server.port();
    }

    /**
     * Also consumes usage records from Kafka (R95), with its meters in {@code /metrics} and its
     * state in {@code GET /v1/health}; call after {@link #serve(ServerSettings)}.
     */
    public synchronized KafkaIngest consume(KafkaIngestSettings settings) {
        if (server == null) {
            throw new IllegalStateException("serve first: the consumer's meters go to the server's /metrics");
        }
        if (ingest != null) {
            throw new IllegalStateException("already consuming " + settings.topic());
        }
        ingest = KafkaIngest.start(tally.usage(), settings, server.meterRegistry());
        tally.health().watchIngest(ingest::status);
        return ingest;
    }

    private void sweep() {
        try {
            int ended = tally.runs().sweepTimedOut();
            if (ended > 0) {
                LOG.info("ended {} timed-out report runs", ended);
            }
        } catch (RuntimeException e) {
            // A failed sweep is retried on the next tick; it must not kill the schedule.
            LOG.warn("sweep of timed-out runs failed", e);
        }
    }

    /**
     * Stops consuming (after committing what was written), stops accepting requests, lets those in
     * flight finish, stops the sweep and closes storage.
     */
    @Override
    public synchronized void close() {
        if (ingest != null) {
            ingest.close();
            ingest = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
        storage.close();
    }
}
