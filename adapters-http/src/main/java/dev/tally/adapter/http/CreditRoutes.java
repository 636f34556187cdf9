package dev.tally.adapter.http;

import dev.tally.application.credit.CreditPage;
import dev.tally.application.credit.CreditService;
import dev.tally.application.credit.CreditWrite;
import dev.tally.application.credit.PeriodSelector;
import dev.tally.application.usecase.Paging;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.CreditType;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import static dev.tally.adapter.http.RouteTable.Access.ADMIN;
import static dev.tally.adapter.http.RouteTable.Access.KEY;

/**
 * The credit ledger (R30–R34). Every write must carry an {@code Idempotency-Key} header, since a
 * retried spend or refund counted twice moves real money. A user key spends its own credits and
 * reads its ledger; purchases, grants, refunds and adjustments create value and are the
 * operator's (R62).
 */
final class CreditRoutes {

    private final CreditService credits;
    private final HttpMetrics metrics;
    private final java.time.Clock clock;

    CreditRoutes(CreditService credits, HttpMetrics metrics, java.time.Clock clock) {
        this.credits = credits;
        this.metrics = metrics;
        this.clock = clock;
    }

    void register(RouteTable routes) {
        String base = "/v1/users/{user_id}/credits";
        routes.post(base + "/purchases", ADMIN, (ctx, caller) -> write(ctx, caller, (user, key) -> {
            AmountRequest request = RequestBody.read(ctx, AmountRequest.class);
            return CreditWrite.purchase(user, RequestFields.credits(request.amount(), "amount"), key,
                    Optional.ofNullable(request.priority()), request.expiry());
        }));
        routes.post(base + "/grants", ADMIN, (ctx, caller) -> write(ctx, caller, (user, key) -> {
            AmountRequest request = RequestBody.read(ctx, AmountRequest.class);
            return CreditWrite.grant(user, RequestFields.credits(request.amount(), "amount"), key,
                    Optional.ofNullable(request.priority()), request.expiry());
        }));
        routes.get(base + "/grants", KEY, (ctx, caller) -> {
            Paging window = Listing.window(ctx, Paging.DEFAULT_LIMIT);
            Instant now = Instant.now(clock);
            List<Responses.Grant> fetched = credits.grants(caller.user(ctx), window).stream()
                    .map(grant -> Responses.Grant.from(grant, now)).toList();
            boolean more = fetched.size() > window.limit();
            Listing.cursored(ctx, fetched.stream().limit(window.limit()).toList(),
                    more ? Optional.of(Listing.offsetCursor(window.offset() + (long) window.limit())) : Optional.empty(),
                    "grants");
        });
        routes.post(base + "/usage", KEY, (ctx, caller) -> write(ctx, caller, (user, key) -> {
            SpendRequest request = RequestBody.read(ctx, SpendRequest.class);
            return CreditWrite.spend(user, RequestFields.credits(request.amount(), "amount"),
                    RequestFields.required(request.operation(), "operation"), key);
        }));
        routes.post(base + "/refunds", ADMIN, (ctx, caller) -> write(ctx, caller, (user, key) -> {
            RefundRequest request = RequestBody.read(ctx, RefundRequest.class);
            String refunded = RequestFields.required(request.usageTransactionId(), "usage_transaction_id");
            return CreditWrite.refund(user, Ids.stored(Ids.TRANSACTION, refunded),
                    RequestFields.credits(request.amount(), "amount"), key);
        }));
        routes.post(base + "/adjustments", ADMIN, (ctx, caller) -> write(ctx, caller, (user, key) -> {
            AdjustmentRequest request = RequestBody.read(ctx, AdjustmentRequest.class);
            return CreditWrite.adjust(user, RequestFields.credits(request.amount(), "amount"),
                    RequestFields.required(request.reason(), "reason"), key);
        }));
        routes.get(base + "/balance", KEY, (ctx, caller) ->
                ctx.json(new BalanceResponse(credits.balance(caller.user(ctx)))));
        routes.get(base + "/usage-by-operation", KEY, (ctx, caller) -> {
            UserId user = caller.user(ctx);
            ctx.json(Responses.CreditUsage.from(credits.usageByOperation(user, selector(ctx))));
        });
        routes.get(base + "/transactions", KEY, (ctx, caller) -> {
            Paging window = Listing.window(ctx, Paging.DEFAULT_LIMIT);
            CreditPage page = credits.transactions(caller.user(ctx), window);
            Listing.counted(ctx, page.transactions().stream().map(Responses.CreditEntry::from).toList(), window,
                    page.total(), "transactions");
        });
    }

    /** Builds a write from the request once the user and the key are known. */
    @FunctionalInterface
    private interface WriteRequest {
        CreditWrite of(UserId user, IdempotencyKey key);
    }

    private void write(Context ctx, Caller caller, WriteRequest request) {
        UserId user = caller.user(ctx);
        IdempotencyKey key = RequestFields.requiredIdempotencyKey(ctx);
        CreditWrite write = request.of(user, key);
        var entry = RefusalException.valueOf(credits.write(write));
        if (write.kind() == CreditWrite.Kind.USAGE) {
            metrics.granted(MetricKey.CREDITS.value());
        }
        ctx.status(201).json(Responses.CreditEntry.from(entry));
    }

    /** {@code ?period=current|previous} or {@code ?at=<instant>}; default the current period. */
    private static PeriodSelector selector(Context ctx) {
        String period = ctx.queryParam("period");
        Optional<java.time.Instant> at = RequestFields.at(ctx);
        if (period != null && at.isPresent()) {
            throw ApiException.badRequest("invalid_period", "Give either 'period' or 'at', not both.");
        }
        if (at.isPresent()) {
            return PeriodSelector.at(at.get());
        }
        if (period == null || "current".equals(period)) {
            return PeriodSelector.current();
        }
        if ("previous".equals(period)) {
            return PeriodSelector.previousPeriod();
        }
        throw ApiException.badField("invalid_period", "period", "Query parameter 'period' must be current or previous.");
    }

    /**
     * A purchase or grant of {@code amount} credits, spent under {@code priority} (0–100, lower
     * first, default 50) and lapsing at {@code expires_at} if given (R35, R36).
     */
    record AmountRequest(Long amount, Integer priority, String expiresAt) {

        Optional<Instant> expiry() {
            return Optional.ofNullable(expiresAt).map(text -> RequestFields.instant(text, "expires_at"));
        }
    }


    /** {@code amount} is the positive number of credits spent on {@code operation}. */
    record SpendRequest(Long amount, String operation) implements RequestBody.FieldChecks {

        @Override
        public void checkField(String field) {
            checkOne(field, "operation",
                    () -> CreditWrite.spend(RequestBody.CHECKED_USER, RequestFields.credits(amount, field), "checked",
                            CHECKED_KEY),
                    () -> entry(CreditType.USAGE, -1, Optional.of(RequestFields.required(operation, field)),
                            Optional.empty()));
        }
    }

    record RefundRequest(String usageTransactionId, Long amount) {
    }

    /** A signed correction with its reason. */
    record AdjustmentRequest(Long amount, String reason) implements RequestBody.FieldChecks {

        @Override
        public void checkField(String field) {
            checkOne(field, "reason",
                    () -> CreditWrite.adjust(RequestBody.CHECKED_USER, RequestFields.credits(amount, field), "checked",
                            CHECKED_KEY),
                    () -> entry(CreditType.ADJUSTMENT, 1, Optional.empty(),
                            Optional.of(RequestFields.required(reason, field))));
        }
    }

    /** The key a write's fields are checked under, one at a time, before it is made. */
    private static final IdempotencyKey CHECKED_KEY = new IdempotencyKey("checked");

    /** Runs the check of {@code field}: the amount's, or that of the write's text (an operation or a reason). */
    private static void checkOne(String field, String text, Runnable amountCheck, Runnable textCheck) {
        if (field.equals("amount")) {
            amountCheck.run();
        } else if (field.equals(text)) {
            textCheck.run();
        }
    }

    /** Checks an operation or a reason as the ledger entry it would be written in checks it. */
    private static void entry(CreditType type, long amount, Optional<String> operation, Optional<String> reason) {
        new CreditTransaction("checked", RequestBody.CHECKED_USER, type, amount, operation, Optional.empty(), reason,
                Instant.EPOCH, 0);
    }

    record BalanceResponse(long balance) {
    }

}
