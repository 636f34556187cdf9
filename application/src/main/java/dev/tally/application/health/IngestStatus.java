package dev.tally.application.health;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a consumer of usage from a log (R95) is doing on this node, as {@code GET /v1/health} shows it.
 *
 * @param state        {@code starting}, {@code consuming}, {@code paused} (storage is unavailable and
 *                     consumption waits for it, R66) or {@code stopped}
 * @param partitions   the partitions this node is assigned now
 * @param lag          records on those partitions not yet consumed, as far as this node knows
 * @param counted      records this node has counted since it started
 * @param duplicates   records this node found already counted (a replay, a producer's retry)
 * @param deadLettered records this node sent to the dead-letter topic since it started
 * @param lastCommit   when this node last committed its offsets, if it has
 */
public record IngestStatus(String state, int partitions, long lag, long counted, long duplicates, long deadLettered,
                           Optional<Instant> lastCommit) {

    public IngestStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastCommit, "lastCommit");
    }
}
