package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.KEY;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.tally.application.cost.ApiCallService;
import dev.tally.application.cost.RecordApiCall;
import dev.tally.domain.cost.ApiCall;
import dev.tally.domain.cost.CostBreakdown;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * External API calls and their costs (R40–R43): record a call, and the period's cost breakdown
 * per provider.
 */
final class ApiCallRoutes {

    private final ApiCallService calls;
    private final HttpMetrics metrics;

    ApiCallRoutes(ApiCallService calls, HttpMetrics metrics) {
        this.calls = calls;
        this.metrics = metrics;
    }

    void register(RouteTable routes) {
        routes.post("/v1/users/{user_id}/api-calls", KEY, (ctx, caller) -> {
            ApiCallRequest request = RequestBody.read(ctx, ApiCallRequest.class);
            RecordApiCall command = request.toCommand(caller.user(ctx), RequestFields.idempotencyKey(ctx));
            boolean enforce = command.enforce();
            ApiCall call = RefusalException.valueOf(calls.record(command));
            if (enforce) {
                metrics.granted(MetricKey.apiCalls(call.callType()).value());
                if (call.costUsd().signum() > 0) {
                    metrics.granted(MetricKey.COST_USD.value());
                }
            }
            ctx.status(201).json(ApiCallResponse.from(call));
        });
        routes.get("/v1/users/{user_id}/costs", KEY, (ctx, caller) -> {
            int top = RequestFields.intQuery(ctx, "top", CostBreakdown.DEFAULT_TOP, "invalid_top");
            ctx.json(Responses.Costs.from(calls.costs(caller.user(ctx), top, RequestFields.at(ctx))));
        });
    }

    /**
     * One call; {@code provider} is detected from {@code model} when absent (R41), and with
     * {@code "enforce": true} the call-type limit and the budget are checked first (R43).
     */
    record ApiCallRequest(String callType, String provider, String model, BigDecimal costUsd, Integer statusCode,
                          Long latencyMs, String occurredAt, Boolean enforce) implements RequestBody.FieldChecks {

        private static final ApiCallRequest VALID = new ApiCallRequest("checked", null, null, BigDecimal.ZERO, null,
                null, null, null);

        /** Checks one field as the call recorded with it alone would be checked. */
        @Override
        public void checkField(String field) {
            RecordApiCall alone = RequestBody.only(this, field, VALID).toCommand(RequestBody.CHECKED_USER,
                    Optional.empty());
            new ApiCall("checked", alone.user(), alone.callType(), alone.provider().orElse("checked"), alone.model(),
                    alone.costUsd(), alone.statusCode(), alone.latencyMs(), alone.occurredAt().orElse(Instant.EPOCH));
        }

        RecordApiCall toCommand(UserId user, Optional<IdempotencyKey> key) {
            return new RecordApiCall(user, ApiCall.requireCallType(RequestFields.required(callType, "call_type")),
                    Optional.ofNullable(provider), Optional.ofNullable(model),
                    RequestFields.number(RequestFields.required(costUsd, "cost_usd"), "cost_usd"),
                    statusCode == null ? OptionalInt.empty() : OptionalInt.of(statusCode),
                    latencyMs == null ? OptionalLong.empty()
                            : OptionalLong.of(BoundedInput.count(latencyMs, "latency_ms")),
                    Optional.ofNullable(occurredAt).map(text -> RequestFields.instant(text, "occurred_at")),
                    Boolean.TRUE.equals(enforce), key);
        }
    }

    /** A recorded call, with the provider that was stored. */
    record ApiCallResponse(String id, String callType, String provider, String model,
                           @JsonSerialize(using = UsdAmount.class) BigDecimal costUsd,
                           Integer statusCode, Long latencyMs, Instant occurredAt) {
        static ApiCallResponse from(ApiCall call) {
            return new ApiCallResponse(Ids.shown(Ids.API_CALL, call.id()), call.callType(), call.provider(), call.model().orElse(null),
                    call.costUsd(), call.statusCode().isPresent() ? call.statusCode().getAsInt() : null,
                    call.latencyMs().isPresent() ? call.latencyMs().getAsLong() : null, call.occurredAt());
        }
    }
}
