package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;
import static dev.tally.adapter.http.RouteTable.Access.KEY;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.application.plan.PlanService;
import dev.tally.application.user.UserService;
import dev.tally.domain.plan.CreditsPerPeriod;
import dev.tally.domain.credit.GrantTerms;
import dev.tally.domain.plan.DisplayNames;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanAlerts;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;

/**
 * Plans, the operator's terms (R62): {@code PUT /v1/plans/{plan_id}} and {@code GET /v1/plans}
 * are admin only, since the list may hold plans made for one customer; a user key reads its own
 * user's plan with {@code GET /v1/plans/{plan_id}}, and any other plan is the 404 of a missing one.
 */
final class PlanRoutes {

    private static final String UNLIMITED = "unlimited";
    /** The id a plan's fields are checked under, one at a time, before the plan is made. */
    private static final PlanId CHECKED = new PlanId("checked");

    private final PlanService plans;
    private final UserService users;

    PlanRoutes(PlanService plans, UserService users) {
        this.plans = plans;
        this.users = users;
    }

    void register(RouteTable routes) {
        routes.put("/v1/plans/{plan_id}", ADMIN, (ctx, caller) -> {
            PlanId id = new PlanId(ctx.pathParam("plan_id"));
            PlanRequest request = RequestBody.read(ctx, PlanRequest.class);
            ctx.json(PlanResponse.from(plans.put(request.toPlan(id))));
        });
        routes.get("/v1/plans", ADMIN, (ctx, caller) ->
                Listing.slice(ctx, plans.list().stream().map(PlanResponse::from)
                        .sorted(Comparator.comparing(PlanResponse::id)).toList(), "plans"));
        routes.get("/v1/plans/{plan_id}", KEY, (ctx, caller) -> {
            PlanId id = new PlanId(ctx.pathParam("plan_id"));
            if (caller.restrictedTo().filter(user -> !users.get(user).planId().equals(id)).isPresent()) {
                throw PlanService.notFound(id);
            }
            ctx.json(PlanResponse.from(plans.get(id)));
        });
    }

    /**
     * A plan as a client sends it: each limit, and each allocation's limit (R72), is a number, or
     * {@code "unlimited"} or {@code null} for no limit (R11).
     */
    record PlanRequest(String name, Map<String, JsonNode> limits, BigDecimal maxFileSizeMb,
                       Integer warningThresholdPercent, Map<String, JsonNode> allocations,
                       List<Integer> alertThresholdsPercent, Long lowBalanceCredits, Integer maxMetrics,
                       Map<String, JsonNode> displayNames, Map<String, JsonNode> features,
                       PeriodCredits creditsPerPeriod, Map<String, JsonNode> rateLimits,
                       Map<String, JsonNode> creditPrices)
            implements RequestBody.FieldChecks {

        @Override
        public void checkField(String field) {
            RequestBody.only(this, field).toPlan(CHECKED);
        }

        Plan toPlan(PlanId id) {
            return new Plan(id, name, limits(limits, "limits", PlanLimits::checked),
                    Optional.ofNullable(RequestFields.number(maxFileSizeMb, "max_file_size_mb")),
                    warningThresholdPercent == null ? Plan.DEFAULT_WARNING_THRESHOLD_PERCENT : warningThresholdPercent,
                    limits(allocations, "allocations", Plan::checkedAllocation),
                    new PlanAlerts(alertThresholdsPercent == null ? PlanAlerts.DEFAULT.thresholdsPercent()
                            : alertThresholdsPercent, Optional.ofNullable(lowBalanceCredits)),
                    maxMetrics == null ? OptionalInt.empty() : OptionalInt.of(maxMetrics),
                    displayNames(displayNames), FeatureJson.features(features, "features"))
                    .withCreditsPerPeriod(Optional.ofNullable(creditsPerPeriod).map(PeriodCredits::toCredits))
                    .withRateLimits(PlanRateLimits.parse(rateLimits))
                    .withCreditPrices(PlanCreditPrices.parse(creditPrices));
        }

        /**
         * The display names as sent, each one read and checked in full before the next, so that a
         * refusal names the first offending metric in request order (R64); a name of {@code null}
         * leaves the metric shown by its key.
         */
        private static DisplayNames displayNames(Map<String, JsonNode> sent) {
            Map<MetricKey, String> parsed = new LinkedHashMap<>();
            if (sent != null) {
                sent.forEach((key, value) -> {
                    MetricKey metric = new MetricKey(key);
                    if (value != null && !value.isNull()) {
                        if (!value.isTextual()) {
                            String field = "display_names." + key;
                            throw ApiException.badField("invalid_field_type", field,
                                    "Field '" + field + "' must be a string or null.");
                        }
                        parsed.put(metric, DisplayNames.checked(metric, value.textValue()));
                    }
                });
            }
            return new DisplayNames(parsed);
        }

        /**
         * The limits as sent, each one read and checked in full before the next, so that a refusal
         * names the first offending metric in request order (R64).
         */
        static PlanLimits limits(Map<String, JsonNode> sent, String field,
                                         BiFunction<MetricKey, Limit, Limit> check) {
            Map<MetricKey, Limit> parsed = new LinkedHashMap<>();
            if (sent != null) {
                sent.forEach((name, value) -> {
                    MetricKey metric = new MetricKey(name);
                    parsed.put(metric, check.apply(metric, limit(field + "." + name, value)));
                });
            }
            return new PlanLimits(parsed);
        }

        private static Limit limit(String field, JsonNode value) {
            if (value == null || value.isNull() || value.isTextual() && UNLIMITED.equals(value.textValue())) {
                return Limit.unlimited();
            }
            if (!value.isNumber()) {
                throw ApiException.badField("invalid_field_type", field,
                        "Field '" + field + "' must be a number, \"unlimited\" or null.");
            }
            return Limit.of(RequestFields.number(value.decimalValue(), field));
        }
    }

    /**
     * A plan; a limit of {@code null} means unlimited, a {@code max_metrics} of {@code null} the
     * server's default (R67); {@code display_names} holds the metrics the plan names, in the order
     * they were given, and a metric not in it is shown by its key; {@code features} each hold
     * {@code true}/{@code false}, a number or a text (R73).
     */
    record PlanResponse(String id, String name, Map<String, BigDecimal> limits, BigDecimal maxFileSizeMb,
                        int warningThresholdPercent, Map<String, BigDecimal> allocations,
                        List<Integer> alertThresholdsPercent, Long lowBalanceCredits, Integer maxMetrics,
                        Map<String, String> displayNames, Map<String, Object> features,
                        PeriodCredits creditsPerPeriod, Map<String, PlanRateLimits.RateLimitBody> rateLimits,
                        Map<String, Long> creditPrices) {

        static PlanResponse from(Plan plan) {
            Map<String, String> names = new LinkedHashMap<>();
            plan.displayNames().byMetric().forEach((metric, name) -> names.put(metric.value(), name));
            return new PlanResponse(plan.id().value(), plan.name(), shown(plan.limits()),
                    plan.maxFileSizeMb().orElse(null), plan.warningThresholdPercent(), shown(plan.allocations()),
                    plan.alerts().thresholdsPercent(), plan.alerts().lowBalanceCredits().orElse(null),
                    plan.maxMetrics().isPresent() ? plan.maxMetrics().getAsInt() : null, names,
                    FeatureJson.shown(plan.features()), plan.creditsPerPeriod().map(PeriodCredits::from).orElse(null),
                    PlanRateLimits.shown(plan.rateLimits()), PlanCreditPrices.shown(plan.creditPrices()));
        }

        static Map<String, BigDecimal> shown(PlanLimits limits) {
            Map<String, BigDecimal> shown = new LinkedHashMap<>();
            limits.sorted().forEach((metric, limit) -> shown.put(metric.value(), limit.max().orElse(null)));
            return shown;
        }
    }

    /**
     * Credits the plan grants every period (R37): {@code amount}, spent under {@code priority}
     * (default 50), and a {@code rollover} of {@code "none"} (the default), {@code "all"} or the
     * most credits carried into the next period.
     */
    record PeriodCredits(Long amount, Integer priority, Object rollover) {

        CreditsPerPeriod toCredits() {
            if (amount == null) {
                throw ApiException.badField("invalid_credits_per_period", "credits_per_period.amount",
                        "Field 'credits_per_period.amount' is required.");
            }
            return new CreditsPerPeriod(amount, priority == null ? GrantTerms.DEFAULT_PRIORITY : priority,
                    CreditsPerPeriod.rollover(rollover));
        }

        static PeriodCredits from(CreditsPerPeriod credits) {
            return new PeriodCredits(credits.amount(), credits.priority(), credits.rolloverShown());
        }
    }
}
