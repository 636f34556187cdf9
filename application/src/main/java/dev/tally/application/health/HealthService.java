package dev.tally.application.health;

import dev.tally.domain.health.HealthReport;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Counts this node's answered requests per second over a sliding window (default 5 minutes) and
 * reports health from them (R51). Thread-safe; recording is a few array writes under a lock.
 */
public class HealthService {

    /** The window R51 looks back over. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private final Clock clock;
    private final int seconds;
    private final long[] bucketSecond;
    private final long[] requests;
    private final long[] clientErrors;
    private final long[] serverErrors;
    private volatile Supplier<IngestStatus> ingest;

    @Inject
    public HealthService(Clock clock) {
        this(clock, WINDOW);
    }

    public HealthService(Clock clock, Duration window) {
        this.clock = clock;
        this.seconds = (int) window.toSeconds();
        this.bucketSecond = new long[seconds];
        this.requests = new long[seconds];
        this.clientErrors = new long[seconds];
        this.serverErrors = new long[seconds];
    }

    /** Counts one answered request by its HTTP status: 4xx are client errors, 5xx server errors. */
    public synchronized void record(int status) {
        long now = clock.instant().getEpochSecond();
        int i = (int) Math.floorMod(now, (long) seconds);
        if (bucketSecond[i] != now) {
            bucketSecond[i] = now;
            requests[i] = 0;
            clientErrors[i] = 0;
            serverErrors[i] = 0;
        }
        requests[i]++;
        if (status >= 400 && status < 500) {
            clientErrors[i]++;
        } else if (status >= 500) {
            serverErrors[i]++;
        }
    }

    /** Shows, from now on, how the consumer of usage from a log on this node is doing (R95). */
    public void watchIngest(Supplier<IngestStatus> status) {
        this.ingest = Objects.requireNonNull(status, "status");
    }

    /** How the consumer of usage from a log on this node is doing; empty when none runs here. */
    public Optional<IngestStatus> ingest() {
        Supplier<IngestStatus> status = ingest;
        return status == null ? Optional.empty() : Optional.of(status.get());
    }

    /** Health over the last window (R51). */
    public synchronized HealthReport report() {
        long now = clock.instant().getEpochSecond();
        long total = 0;
        long client = 0;
        long server = 0;
        for (int i = 0; i < seconds; i++) {
            if (bucketSecond[i] > now - seconds && bucketSecond[i] <= now) {
                total += requests[i];
                client += clientErrors[i];
                server += serverErrors[i];
            }
        }
        return HealthReport.of(seconds, total, client, server);
    }
}
