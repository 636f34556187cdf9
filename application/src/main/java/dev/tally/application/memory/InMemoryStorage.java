package dev.tally.application.memory;

import dev.tally.application.port.TallyStorage;

/** Tally's storage held in this process's memory: every port in its real, thread-safe in-memory form. */
public final class InMemoryStorage {

    private InMemoryStorage() {
    }

    /** Fresh, empty, thread-safe in-memory storage for one process. */
    public static TallyStorage create() {
        InMemoryTransactions transactions = new InMemoryTransactions();
        return new TallyStorage(transactions, new InMemoryUsageLedger(), new InMemoryIdempotencyStore(),
                new InMemoryPlanRepository(), new InMemoryUserRepository(), new InMemoryModelPriceRepository(),
                new InMemoryReportRunRepository(), new InMemoryCreditTransactionRepository(transactions),
                new InMemoryApiCallRepository(), new InMemoryActivationCodeRepository(),
                new InMemorySessionRepository(), new InMemoryApiKeyRepository(),
                new InMemoryAllocationRepository(), new InMemoryEventLog(), new InMemoryWebhookStore(),
                new InMemoryAuditLog(), new InMemoryPlanTermsRepository(), new InMemoryRateCells(transactions));
    }
}
