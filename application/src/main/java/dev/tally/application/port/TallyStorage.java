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

    /**
     * Storage whose audit log (R93) and per-user overrides and scheduled plan changes (R73) are kept
     * in this process's memory only, and which has no rate cells: a plan's rate limit (R90) cannot be
     * kept on it, and an enforced write of a rated metric fails rather than pass unchecked. For
     * embedders that built their ports before those existed.
     */
    public TallyStorage(Transactions transactions, UsageLedger usage, IdempotencyStore idempotency,
                        PlanRepository plans, UserRepository users, ModelPriceRepository modelPrices,
                        ReportRunRepository runs, CreditTransactionRepository credits, ApiCallRepository apiCalls,
                        ActivationCodeRepository activationCodes, SessionRepository sessions,
                        ApiKeyRepository apiKeys, AllocationRepository allocations, EventLog events,
                        WebhookStore webhooks) {
        this(transactions, usage, idempotency, plans, users, modelPrices, runs, credits, apiCalls, activationCodes,
                sessions, apiKeys, allocations, events, webhooks, new dev.tally.application.memory.InMemoryAuditLog(),
                new dev.tally.application.memory.InMemoryPlanTermsRepository(), RateCells.UNAVAILABLE);
    }

}
