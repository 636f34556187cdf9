package dev.tally.application.port;

/**
 * A storage's whole usage ledger: its facts and rollups ({@link UsageFacts}), its holds
 * ({@link UsageHolds}) and the reads of both ({@link UsageReads}), which share the same rollups
 * and transactions, with the meters its records feed ({@link MeterStore}). Each part has a
 * contract of its own.
 */
public interface UsageLedger extends UsageFacts, UsageHolds, UsageReads, MeterStore {
}
