package dev.tally.application.port;

import dev.tally.application.memory.InMemoryActivationCodeRepository;
import dev.tally.application.memory.InMemoryApiCallRepository;
import dev.tally.application.memory.InMemoryApiKeyRepository;
import dev.tally.application.memory.InMemoryCreditTransactionRepository;
import dev.tally.application.memory.InMemoryIdempotencyStore;
import dev.tally.application.memory.InMemoryModelPriceRepository;
import dev.tally.application.memory.InMemoryPlanRepository;
import dev.tally.application.memory.InMemoryReportRunRepository;
import dev.tally.application.memory.InMemorySessionRepository;
import dev.tally.application.memory.InMemoryTransactions;
import dev.tally.application.memory.InMemoryUsageLedger;
import dev.tally.application.memory.InMemoryUserRepository;
import java.util.Objects;

/** Every outgoing port Tally's use cases need, from one storage: in memory, H2 or PostgreSQL. */
public record TallyStorage(Transactions transactions, UsageLedger usage, IdempotencyStore idempotency,
                           PlanRepository plans, UserRepository users, ModelPriceRepository modelPrices,
                           ReportRunRepository runs, CreditTransactionRepository credits, ApiCallRepository apiCalls,
                           ActivationCodeRepository activationCodes, SessionRepository sessions,
                           ApiKeyRepository apiKeys) {

    public TallyStorage {
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(plans, "plans");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(modelPrices, "modelPrices");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(credits, "credits");
        Objects.requireNonNull(apiCalls, "apiCalls");
        Objects.requireNonNull(activationCodes, "activationCodes");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(apiKeys, "apiKeys");
    }

    /** Fresh, empty, thread-safe in-memory storage for one process. */
    public static TallyStorage inMemory() {
        return new TallyStorage(new InMemoryTransactions(), new InMemoryUsageLedger(), new InMemoryIdempotencyStore(),
                new InMemoryPlanRepository(), new InMemoryUserRepository(), new InMemoryModelPriceRepository(),
                new InMemoryReportRunRepository(), new InMemoryCreditTransactionRepository(),
                new InMemoryApiCallRepository(), new InMemoryActivationCodeRepository(),
                new InMemorySessionRepository(), new InMemoryApiKeyRepository());
    }
}
