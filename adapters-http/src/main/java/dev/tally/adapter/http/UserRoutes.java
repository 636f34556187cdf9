package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;

import dev.tally.application.user.PutUser;
import dev.tally.application.user.ResetBillingPeriod;
import dev.tally.application.user.UserService;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.CycleKind;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.User;
import java.time.Instant;
import java.util.Optional;

/**
 * Users (admin only): create or update, change plan (R14), re-anchor the billing period (R4).
 * A user's API keys are {@link ApiKeyRoutes}.
 */
final class UserRoutes {

    private final UserService users;

    UserRoutes(UserService users) {
        this.users = users;
    }

    void register(RouteTable routes) {
        routes.put("/v1/users/{user_id}", ADMIN, (ctx, caller) -> {
            UserRequest request = RequestBody.read(ctx, UserRequest.class);
            PlanId plan = new PlanId(RequestFields.required(request.planId(), "plan_id"));
            Optional<BillingRequest> billing = Optional.ofNullable(request.billing());
            ctx.json(UserResponse.from(users.put(new PutUser(caller.user(ctx), plan,
                    billing.map(BillingRequest::cycle).map(CycleKind::fromWireName),
                    billing.map(BillingRequest::anchor).map(text -> RequestFields.instant(text, "billing.anchor")),
                    billing.map(BillingRequest::timeZone).map(UserService::zone)))));
        });
        routes.post("/v1/users/{user_id}/plan", ADMIN, (ctx, caller) -> {
            ChangePlanRequest request = RequestBody.read(ctx, ChangePlanRequest.class);
            PlanId plan = new PlanId(RequestFields.required(request.planId(), "plan_id"));
            ctx.json(UserResponse.from(users.changePlan(caller.user(ctx), plan)));
        });
        routes.post("/v1/users/{user_id}/billing-period/reset", ADMIN, (ctx, caller) -> {
            // A retried reset must not start yet another period.
            ctx.json(UserResponse.from(users.resetBillingPeriod(new ResetBillingPeriod(caller.user(ctx),
                    RequestFields.idempotencyKey(ctx)))));
        });
    }

    /** {@code billing} is optional; each of its fields left out keeps the user's current value. */
    record UserRequest(String planId, BillingRequest billing) {
    }

    /** {@code cycle} is {@code calendar_month} or {@code anniversary}; {@code anchor} an instant; {@code time_zone} an IANA id. */
    record BillingRequest(String cycle, String anchor, String timeZone) {
    }

    record ChangePlanRequest(String planId) {
    }

    /** A user with the billing cycle in force now. */
    record UserResponse(String id, String planId, Billing billing, Instant createdAt) {
        static UserResponse from(User user) {
            BillingCycle cycle = user.billing().latest();
            return new UserResponse(user.id().value(), user.planId().value(),
                    new Billing(cycle.kind().wireName(), cycle.anchor(), cycle.zone().getId()), user.createdAt());
        }
    }

    record Billing(String cycle, Instant anchor, String timeZone) {
    }
}
