package dev.tally.application.port;

import java.time.Instant;
import java.util.Objects;

/**
 * A place in an export (R94): records are exported by {@code occurred_at}, then by the order the
 * storage stored them in ({@code seq}), so a place is both and an export resumes after one.
 */
public record ExportPosition(Instant occurredAt, long seq) implements Comparable<ExportPosition> {

    public ExportPosition {
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    @Override
    public int compareTo(ExportPosition other) {
        int byTime = occurredAt.compareTo(other.occurredAt);
        return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }
}
