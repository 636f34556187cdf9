package dev.tally.application.port;

/** What {@link UsageLedger#reserve} did. */
public sealed interface ReserveResult permits ReserveResult.Reserved, Denied, MetricsFull {

    /** The reservation is held. */
    record Reserved() implements ReserveResult {
    }
}
