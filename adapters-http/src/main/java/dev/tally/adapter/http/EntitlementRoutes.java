package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.KEY;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.application.entitlement.CheckEntitlement;
import dev.tally.application.entitlement.EntitlementService;
import dev.tally.application.entitlement.Entitlements;
import dev.tally.domain.entitlement.Entitlement;
import dev.tally.domain.plan.MetricKey;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.domain.entitlement.FeatureEntitlement;
import dev.tally.domain.plan.Feature;
import java.util.Optional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Entitlement checks (R70): {@code GET /v1/users/{user_id}/entitlements/{metric}?quantity=q}
 * answers whether {@code q} more would be allowed now, {@code GET …/entitlements} every limited
 * metric and allocation at once. Both record nothing; a refused check carries the body a denied
 * write would have had (R12) under {@code denial}.
 */
final class EntitlementRoutes {

    private final EntitlementService entitlements;

    EntitlementRoutes(EntitlementService entitlements) {
        this.entitlements = entitlements;
    }

    void register(RouteTable routes) {
        String base = "/v1/users/{user_id}/entitlements";
        routes.get(base, KEY, (ctx, caller) -> ctx.json(EntitlementsResponse.from(entitlements.all(caller.user(ctx)))));
        routes.get(base + "/{metric}", KEY, (ctx, caller) -> {
            Optional<FeatureEntitlement> feature = entitlements.feature(caller.user(ctx), ctx.pathParam("metric"));
            if (feature.isPresent()) {
                RequestFields.decimalQuery(ctx, "quantity", BigDecimal.ONE);
                ctx.json(FeatureResponse.from(feature.get()));
                return;
            }
            MetricKey metric = new MetricKey(ctx.pathParam("metric"));
            BigDecimal quantity = RequestFields.decimalQuery(ctx, "quantity", BigDecimal.ONE);
            Entitlement entitlement = entitlements.check(new CheckEntitlement(caller.user(ctx), metric, quantity));
            entitlement.rate().ifPresent(rate -> MetricRateHeaders.tightest(ctx, List.of(rate)));
            ctx.json(EntitlementResponse.from(entitlement));
        });
    }

    /**
     * One feature of the plan in force (R73): {@code enabled} for a boolean feature, {@code value}
     * for a configuration value, and whether the plan or an override says so.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FeatureResponse(String feature, String kind, Boolean enabled, Object value, String source) {
        static FeatureResponse from(FeatureEntitlement entitlement) {
            Feature feature = entitlement.feature();
            boolean flag = feature instanceof Feature.Flag;
            return new FeatureResponse(entitlement.key(), feature.kind(),
                    flag ? ((Feature.Flag) feature).enabled() : null, flag ? null : FeatureJson.value(feature),
                    entitlement.source().wire());
        }
    }

    /**
     * One check; {@code limit} and {@code remaining} are null when unlimited, {@code resets_at} for
     * allocations; {@code source} says whether the limit is the plan's or an override's (R73).
     */
    record EntitlementResponse(String metric, String kind, boolean allowed, BigDecimal requested, BigDecimal used,
                               BigDecimal reserved, BigDecimal limit, BigDecimal remaining, Instant resetsAt,
                               String status, ErrorMapper.LimitExceededResponse denial, String source,
                               @JsonInclude(JsonInclude.Include.NON_NULL) RateResponse rate,
                               @JsonInclude(JsonInclude.Include.NON_NULL) CreditsResponse credits) {
        static EntitlementResponse from(Entitlement entitlement) {
            var usage = entitlement.usage();
            RateResponse rate = entitlement.rate().map(standing -> new RateResponse(standing.rate().limit(),
                    standing.rate().perSeconds(), standing.rate().burst(), standing.remaining(),
                    (standing.resetNanos() + 999_999) / 1_000_000, entitlement.rateAllows())).orElse(null);
            return new EntitlementResponse(entitlement.metric().value(), entitlement.kind().wireName(),
                    entitlement.allowed(), entitlement.requested(), usage.used(), usage.reserved(),
                    usage.limit().orElse(null), usage.remaining().orElse(null), entitlement.resetsAt().orElse(null),
                    usage.status().wireName(),
                    entitlement.denial().map(ErrorMapper.LimitExceededResponse::from).orElse(null),
                    usage.source().wire(), rate, entitlement.credits().map(check -> new CreditsResponse(check.price(),
                            check.balance(), check.required(), check.allows())).orElse(null));
        }
    }

    /**
     * Where the metric's rate limit stands (R90): {@code remaining} whole cells admitted at once,
     * {@code reset_ms} until it is whole again, {@code allowed} whether the requested quantity fits.
     */
    record RateResponse(long limit, int perSeconds, long burst, long remaining, long resetMs, boolean allowed) {
    }

    /**
     * What the requested quantity of a credit-priced metric would spend (R38): {@code price} per
     * unit, the {@code balance} now, the credits {@code required}, and whether the balance pays.
     */
    record CreditsResponse(long price, long balance, java.math.BigInteger required, boolean allowed) {
    }

    /** Every limited metric and allocation, then every feature of the plan in force (R73). */
    record EntitlementsResponse(String userId, String planId, List<EntitlementResponse> entitlements,
                                List<FeatureResponse> features) {
        static EntitlementsResponse from(Entitlements all) {
            return new EntitlementsResponse(all.user().value(), all.plan().value(),
                    all.entitlements().stream().map(EntitlementResponse::from).toList(),
                    all.features().stream().map(FeatureResponse::from).toList());
        }
    }
}
