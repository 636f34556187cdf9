package dev.tally.application.port;

import java.util.Objects;

/**
 * Every outgoing port Tally's use cases need, from one storage: in memory
 * ({@code dev.tally.application.memory.InMemoryStorage}), H2 or PostgreSQL.
 */
public record TallyStorage(Transactions transactions, UsageLedger usage, IdempotencyStore idempotency,
                           PlanRepository plans, UserRepository users, ModelPriceRepository modelPrices,
                           ReportRunRepository runs, CreditTransactionRepository credits, ApiCallRepository apiCalls,
                           ActivationCodeRepository activationCodes, SessionRepository sessions,
                           ApiKeyRepository apiKeys, AllocationRepository allocations, EventLog events,
                           WebhookStore webhooks, AuditLog audit, PlanTermsRepository planTerms,
                           RateCells rates) {

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
        Objects.requireNonNull(allocations, "allocations");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(webhooks, "webhooks");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(planTerms, "planTerms");
        Objects.requireNonNull(rates, "rates");
    }
}
