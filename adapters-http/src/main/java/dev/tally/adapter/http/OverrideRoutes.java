package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.application.override.OverrideService;
import dev.tally.domain.DomainException;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanOverride;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Per-user overrides of the plan (R73), admin only: {@code PUT /v1/users/{user_id}/overrides}
 * replaces the user's override (a key left out falls back to the plan), {@code GET} shows it and
 * {@code DELETE} removes it and answers it as it was.
 */
final class OverrideRoutes {

    private final OverrideService overrides;

    OverrideRoutes(OverrideService overrides) {
        this.overrides = overrides;
    }

    void register(RouteTable routes) {
        String path = "/v1/users/{user_id}/overrides";
        routes.put(path, ADMIN, (ctx, caller) -> {
            OverrideRequest request = RequestBody.read(ctx, OverrideRequest.class);
            ctx.json(OverrideResponse.from(caller.user(ctx).value(),
                    overrides.put(caller.user(ctx), request.toOverride()), overrides));
        });
        routes.get(path, ADMIN, (ctx, caller) -> ctx.json(OverrideResponse.from(caller.user(ctx).value(),
                overrides.get(caller.user(ctx)).orElseThrow(() -> DomainException.notFound("no_override",
                        "user " + caller.user(ctx) + " has no override")), overrides)));
        routes.delete(path, ADMIN, (ctx, caller) -> {
            RequestBody.none(ctx);
            ctx.json(OverrideResponse.from(caller.user(ctx).value(), overrides.remove(caller.user(ctx)), overrides));
        });
    }

    /**
     * An override as a client sends it: {@code limits} and {@code allocations} as a plan's (a
     * number, or {@code "unlimited"}/{@code null} for none), {@code features}, {@code rate_limits}
     * and {@code credits_per_period} as a plan's, and an optional {@code expires_at} after now.
     */
    record OverrideRequest(Map<String, JsonNode> limits, Map<String, JsonNode> allocations,
                           Map<String, JsonNode> features, String expiresAt, Map<String, JsonNode> rateLimits,
                           PlanRoutes.PeriodCredits creditsPerPeriod) implements RequestBody.FieldChecks {

        @Override
        public void checkField(String field) {
            RequestBody.only(this, field).toOverride();
        }

        PlanOverride toOverride() {
            return new PlanOverride(PlanRoutes.PlanRequest.limits(limits, "limits", dev.tally.domain.plan.PlanLimits::checked),
                    PlanRoutes.PlanRequest.limits(allocations, "allocations", Plan::checkedAllocation),
                    FeatureJson.features(features, "features"),
                    Optional.ofNullable(expiresAt).map(text -> RequestFields.instant(text, "expires_at")),
                    PlanRateLimits.parse(rateLimits),
                    Optional.ofNullable(creditsPerPeriod).map(PlanRoutes.PeriodCredits::toCredits));
        }
    }

    /** The override as stored, and whether it applies now ({@code false} once its expiry has come). */
    record OverrideResponse(String userId, Map<String, BigDecimal> limits, Map<String, BigDecimal> allocations,
                            Map<String, Object> features, Instant expiresAt, boolean active,
                            Map<String, PlanRateLimits.RateLimitBody> rateLimits,
                            PlanRoutes.PeriodCredits creditsPerPeriod) {
        static OverrideResponse from(String user, PlanOverride override, OverrideService overrides) {
            return new OverrideResponse(user, PlanRoutes.PlanResponse.shown(override.limits()),
                    PlanRoutes.PlanResponse.shown(override.allocations()), FeatureJson.shown(override.features()),
                    override.expiresAt().orElse(null), overrides.applies(override),
                    PlanRateLimits.shown(override.rateLimits()),
                    override.creditsPerPeriod().map(PlanRoutes.PeriodCredits::from).orElse(null));
        }
    }
}
