package dev.tally.application.port;

/**
 * A storage's whole usage ledger: its facts and rollups ({@link UsageFacts}), its holds
 * ({@link UsageHolds}), the reads of both ({@link UsageReads}), the voids of records
 * ({@link UsageVoids}) and their export ({@link UsageExports}), which share the same rollups and
 * transactions, with the meters its records feed ({@link MeterStore}). Each part has a contract of
 * its own.
 */
public interface UsageLedger extends UsageFacts, UsageHolds, UsageReads, UsageVoids, UsageExports, MeterStore {
}
