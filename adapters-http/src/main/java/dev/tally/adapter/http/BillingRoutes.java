package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.KEY;

import dev.tally.application.billing.BillingService;
import dev.tally.application.user.UserService;
import dev.tally.domain.activation.ActivationStats;
import dev.tally.domain.overview.BillingOverview;
import java.math.BigDecimal;
import java.util.List;

/** The billing overview (R50): the one answer every page that shows usage reads. */
final class BillingRoutes {

    private final BillingService billing;
    private final UserService users;

    BillingRoutes(BillingService billing, UserService users) {
        this.billing = billing;
        this.users = users;
    }

    void register(RouteTable routes) {
        routes.get("/v1/users/{user_id}/billing", KEY, (ctx, caller) ->
                ctx.json(OverviewResponse.from(billing.overview(caller.user(ctx), RequestFields.at(ctx)),
                        users.pendingPlanChange(caller.user(ctx)).map(UserRoutes.PendingPlanChange::from)
                                .orElse(null))));
    }

    /**
     * The overview; each part has the shape of the endpoint that serves it alone;
     * {@code pending_plan_change} is a change booked for later (R73), null when none is pending.
     */
    record OverviewResponse(String userId, PlanSummary plan, Responses.Period period, List<Responses.Metric> metrics,
                            Responses.RunUsage runs, Credits credits, Responses.Costs costs, Codes activationCodes,
                            List<Responses.Allocation> allocations, UserRoutes.PendingPlanChange pendingPlanChange) {
        static OverviewResponse from(BillingOverview overview, UserRoutes.PendingPlanChange pending) {
            return new OverviewResponse(overview.user().value(),
                    new PlanSummary(overview.plan().id().value(), overview.plan().name()),
                    Responses.Period.from(overview.period()), Responses.Metric.all(overview.metrics()),
                    Responses.RunUsage.from(overview.runs()),
                    new Credits(overview.creditBalance(), Responses.Operation.all(overview.credits()),
                            Responses.OperationTotal.from(overview.credits()),
                            overview.creditGrants().stream().map(Responses.Grant::live).toList()),
                    Responses.Costs.from(overview.costs()), Codes.from(overview.activationCodes()),
                    Responses.Allocation.all(overview.allocations()), pending);
        }
    }

    record PlanSummary(String id, String name) {
    }

    /**
     * The balance, this period's credits by operation, and the grants live now in the order they
     * will be spent (R35, R36; at most 50), each with what remains and when it expires.
     */
    record Credits(long balance, List<Responses.Operation> operations, Responses.OperationTotal total,
                   List<Responses.Grant> grants) {
    }

    /** Codes issued and redeemed this period, and the issuing limit ({@code null} when unlimited). */
    record Codes(long issued, long redeemed, BigDecimal limit) {
        static Codes from(ActivationStats stats) {
            return new Codes(stats.issued(), stats.redeemed(), stats.limit().orElse(null));
        }
    }
}
