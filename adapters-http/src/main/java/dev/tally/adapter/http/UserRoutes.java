package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;

import dev.tally.application.billing.ListUsers;
import dev.tally.application.billing.UserList;
import dev.tally.application.billing.UserListService;
import dev.tally.application.user.PutUser;
import dev.tally.application.user.ResetBillingPeriod;
import dev.tally.application.user.UserService;
import dev.tally.domain.period.BillingCycle;
import dev.tally.domain.period.CycleKind;
import dev.tally.domain.plan.MetricStatus;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.user.User;
import dev.tally.domain.user.ScheduledPlanChange;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Users (admin only): the operator's list by worst metric (R53), create or update, change plan
 * (R14), re-anchor the billing period (R4).
 * A user's API keys are {@link ApiKeyRoutes}.
 */
final class UserRoutes {

    private final UserService users;
    private final UserListService list;

    UserRoutes(UserService users, UserListService list) {
        this.users = users;
        this.list = list;
    }

    void register(RouteTable routes) {
        routes.get("/v1/users", ADMIN, (ctx, caller) -> {
            UserList page = list.list(new ListUsers(statuses(ctx.queryParam("status")),
                    RequestFields.intQuery(ctx, "limit", ListUsers.DEFAULT_LIMIT, "invalid_paging"), Listing.cursor(ctx)));
            Listing.cursored(ctx, page.users().stream().map(Standing::from).toList(), page.nextCursor(), "users");
        });
        routes.put("/v1/users/{user_id}", ADMIN, (ctx, caller) -> {
            UserRequest request = RequestBody.read(ctx, UserRequest.class);
            ctx.json(UserResponse.from(users.put(request.toPutUser(caller.user(ctx)))));
        });
        routes.post("/v1/users/{user_id}/plan", ADMIN, (ctx, caller) -> {
            ChangePlanRequest request = RequestBody.read(ctx, ChangePlanRequest.class);
            PlanId plan = new PlanId(RequestFields.required(request.planId(), "plan_id"));
            PlanId before = users.get(caller.user(ctx)).planId();
            if (request.at() == null) {
                ctx.json(UserResponse.from(users.changePlan(caller.user(ctx), plan, RequestFields.idempotencyKey(ctx))));
                Audit.note(ctx, "plan " + before.value() + " -> " + plan.value());
                return;
            }
            // A change booked for later (R73): pending until its instant, then applied lazily.
            ScheduledPlanChange booked = users.schedulePlanChange(caller.user(ctx), plan, request.when(),
                    RequestFields.idempotencyKey(ctx));
            ctx.status(202).json(new ScheduledResponse(caller.user(ctx).value(),
                    users.get(caller.user(ctx)).planId().value(), PendingPlanChange.from(booked)));
            Audit.note(ctx, "plan " + before.value() + " -> " + plan.value() + " at " + booked.at());
        });
        routes.delete("/v1/users/{user_id}/plan/pending", ADMIN, (ctx, caller) -> {
            RequestBody.none(ctx);
            PendingPlanChange cancelled = PendingPlanChange.from(users.cancelPlanChange(caller.user(ctx)));
            ctx.json(cancelled);
            Audit.note(ctx, "pending plan change cancelled");
        });
        routes.post("/v1/users/{user_id}/billing-period/reset", ADMIN, (ctx, caller) -> {
            RequestBody.none(ctx);
            // A retried reset must not start yet another period.
            ctx.json(UserResponse.from(users.resetBillingPeriod(new ResetBillingPeriod(caller.user(ctx),
                    RequestFields.idempotencyKey(ctx)))));
        });
    }

    /** {@code ?status=warning,exceeded}: the worst statuses kept; absent or empty keeps every user. */
    private static Set<MetricStatus> statuses(String text) {
        Set<MetricStatus> statuses = EnumSet.noneOf(MetricStatus.class);
        if (text == null || text.isBlank()) {
            return statuses;
        }
        for (String name : text.split(",", -1)) {
            statuses.add(Arrays.stream(MetricStatus.values()).filter(s -> s.wireName().equals(name.strip()))
                    .findFirst()
                    .orElseThrow(() -> ApiException.badField("invalid_status", "status",
                            "Query parameter 'status' must be ok, warning or exceeded (comma-separated), not '"
                                    + BoundedInput.echo(text) + "'.")));
        }
        return statuses;
    }

    /** A user in its current period with its worst metric, null when nothing is limited or used. */
    record Standing(String userId, String planId, Responses.Period period, Responses.Metric worst) {
        static Standing from(UserList.Standing standing) {
            return new Standing(standing.user().value(), standing.plan().value(),
                    Responses.Period.from(standing.period()),
                    standing.worst().map(Responses.Metric::from).orElse(null));
        }
    }

    /** {@code billing} is optional; each of its fields left out keeps the user's current value. */
    record UserRequest(String planId, BillingRequest billing) implements RequestBody.FieldChecks {

        private static final UserRequest VALID = new UserRequest("checked", null);

        @Override
        public void checkField(String field) {
            RequestBody.only(this, field, VALID).toPutUser(RequestBody.CHECKED_USER);
        }

        PutUser toPutUser(UserId user) {
            PlanId plan = new PlanId(RequestFields.required(planId, "plan_id"));
            Optional<BillingRequest> sent = Optional.ofNullable(billing);
            return new PutUser(user, plan, sent.map(BillingRequest::cycle).map(CycleKind::fromWireName),
                    sent.map(BillingRequest::anchor).map(text -> RequestFields.instant(text, "billing.anchor")),
                    sent.map(BillingRequest::timeZone).map(UserService::zone));
        }
    }

    /** {@code cycle} is {@code calendar_month} or {@code anniversary}; {@code anchor} an instant; {@code time_zone} an IANA id. */
    record BillingRequest(String cycle, String anchor, String timeZone) implements RequestBody.FieldChecks {

        @Override
        public void checkField(String field) {
            new UserRequest("checked", RequestBody.only(this, field)).toPutUser(RequestBody.CHECKED_USER);
        }
    }

    /** {@code at} absent changes the plan now (R14); {@code "period_end"} or an instant books it (R73). */
    record ChangePlanRequest(String planId, String at) implements RequestBody.FieldChecks {

        static final String PERIOD_END = "period_end";

        @Override
        public void checkField(String field) {
            RequestBody.only(this, field).when();
        }

        /** The instant asked for; empty for the end of the current period. */
        Optional<Instant> when() {
            if (at == null || PERIOD_END.equals(at)) {
                return Optional.empty();
            }
            return Optional.of(RequestFields.instant(at, "at"));
        }
    }

    /** A plan change booked for later, as the user's answers and the billing overview show it (R73). */
    record PendingPlanChange(String planId, Instant at) {
        static PendingPlanChange from(ScheduledPlanChange change) {
            return new PendingPlanChange(change.plan().value(), change.at());
        }
    }

    /** The answer to a booked change: the plan the user is on now and the change pending. */
    record ScheduledResponse(String userId, String planId, PendingPlanChange pendingPlanChange) {
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
