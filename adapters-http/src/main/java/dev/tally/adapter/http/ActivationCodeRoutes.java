package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.KEY;

import dev.tally.application.activation.ActivationCodeService;
import dev.tally.application.activation.IssueCode;
import dev.tally.application.activation.RedeemCode;
import dev.tally.domain.activation.ActivationCode;
import dev.tally.domain.plan.MetricKey;
import java.time.Instant;

/** Activation codes (R45): issue one for a user, redeem one. */
final class ActivationCodeRoutes {

    private final ActivationCodeService codes;
    private final HttpMetrics metrics;

    ActivationCodeRoutes(ActivationCodeService codes, HttpMetrics metrics) {
        this.codes = codes;
        this.metrics = metrics;
    }

    void register(RouteTable routes) {
        routes.post("/v1/users/{user_id}/activation-codes", KEY, (ctx, caller) -> {
            IssueRequest request = RequestBody.readOptional(ctx, IssueRequest.class).orElse(new IssueRequest(null));
            int maxUses = request.maxUses() == null ? 1 : request.maxUses();
            ActivationCode code = RefusalException.valueOf(
                    codes.issue(new IssueCode(caller.user(ctx), maxUses, RequestFields.idempotencyKey(ctx))));
            metrics.granted(MetricKey.ACTIVATION_CODES.value());
            ctx.status(201).json(IssuedResponse.from(code));
        });
        routes.post("/v1/activation-codes/{code}/redeem", KEY, (ctx, caller) -> {
            RequestBody.none(ctx);
            ActivationCode redeemed = codes.redeem(new RedeemCode(ctx.pathParam("code"), caller.restrictedTo(),
                    RequestFields.idempotencyKey(ctx)));
            ctx.json(RedeemedResponse.from(redeemed));
        });
    }

    /** {@code max_uses} defaults to 1. */
    record IssueRequest(Integer maxUses) {
    }

    record IssuedResponse(String code, int maxUses, Instant createdAt) {
        static IssuedResponse from(ActivationCode code) {
            return new IssuedResponse(code.code(), code.maxUses(), code.createdAt());
        }
    }

    record RedeemedResponse(String code, int useCount) {
        static RedeemedResponse from(ActivationCode code) {
            return new RedeemedResponse(code.code(), code.useCount());
        }
    }
}
