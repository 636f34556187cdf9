package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;
import static dev.tally.adapter.http.RouteTable.Access.KEY;

import dev.tally.application.allocation.AllocationService;
import dev.tally.application.allocation.Allocations;
import dev.tally.application.allocation.ChangeAllocation;
import dev.tally.application.allocation.SetAllocation;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricUsage;
import java.math.BigDecimal;
import java.util.List;

/**
 * Allocations (R72): {@code GET /v1/users/{user_id}/allocations} lists them;
 * {@code POST …/allocations/{metric}} {@code {"delta"}} raises (an atomic check-and-record, R13)
 * or lowers one; {@code PUT …/allocations/{metric}} {@code {"value"}} sets it outright (admin,
 * for imports). Both writes honour {@code Idempotency-Key} (R20).
 */
final class AllocationRoutes {

    private final AllocationService allocations;
    private final HttpMetrics metrics;

    AllocationRoutes(AllocationService allocations, HttpMetrics metrics) {
        this.allocations = allocations;
        this.metrics = metrics;
    }

    void register(RouteTable routes) {
        String base = "/v1/users/{user_id}/allocations";
        routes.get(base, KEY, (ctx, caller) -> ctx.json(AllocationsResponse.from(allocations.list(caller.user(ctx)))));
        routes.post(base + "/{metric}", KEY, (ctx, caller) -> {
            MetricKey metric = new MetricKey(ctx.pathParam("metric"));
            DeltaRequest request = RequestBody.read(ctx, DeltaRequest.class);
            BigDecimal delta = RequestFields.number(RequestFields.required(request.delta(), "delta"), "delta");
            MetricUsage changed = RefusalException.valueOf(allocations.change(new ChangeAllocation(caller.user(ctx), metric,
                    delta, RequestFields.idempotencyKey(ctx))));
            if (delta.signum() > 0) {
                metrics.granted(metric.value());
            }
            ctx.json(Responses.Allocation.from(changed));
        });
        routes.put(base + "/{metric}", ADMIN, (ctx, caller) -> {
            MetricKey metric = new MetricKey(ctx.pathParam("metric"));
            ValueRequest request = RequestBody.read(ctx, ValueRequest.class);
            BigDecimal value = RequestFields.number(RequestFields.required(request.value(), "value"), "value");
            ctx.json(Responses.Allocation.from(allocations.set(new SetAllocation(caller.user(ctx), metric, value,
                    RequestFields.idempotencyKey(ctx)))));
        });
    }

    /** {@code {"delta": 1}}: positive adds, negative removes. */
    record DeltaRequest(BigDecimal delta) {
    }

    /** {@code {"value": 12}}. */
    record ValueRequest(BigDecimal value) {
    }

    record AllocationsResponse(String userId, String planId, List<Responses.Allocation> allocations) {
        static AllocationsResponse from(Allocations all) {
            return new AllocationsResponse(all.user().value(), all.plan().value(),
                    Responses.Allocation.all(all.allocations()));
        }
    }
}
