package dev.tally.application.port;

/** What {@link UsageHolds#hold} did. */
public sealed interface ReserveResult permits ReserveResult.Reserved, Denied, MetricsFull {

    /** The reservation is held. */
    record Reserved() implements ReserveResult {
    }
}
