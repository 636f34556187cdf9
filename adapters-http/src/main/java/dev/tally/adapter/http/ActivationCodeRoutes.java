package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.KEY;

import dev.tally.application.activation.ActivationCodeService;
import dev.tally.domain.activation.ActivationCode;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.DomainException;
import java.time.Instant;

/** Activation codes (R45): issue one for a user, redeem one. */
final class ActivationCodeRoutes {

    private final ActivationCodeService codes;
    private final HttpMetrics metrics;
    private final KeyedWrites keyed;

    ActivationCodeRoutes(ActivationCodeService codes, HttpMetrics metrics, KeyedWrites keyed) {
        this.codes = codes;
        this.metrics = metrics;
        this.keyed = keyed;
    }

    void register(RouteTable routes) {
        routes.post("/v1/users/{user_id}/activation-codes", KEY, (ctx, caller) -> {
            IssueRequest request = Requests.optionalBody(ctx, IssueRequest.class).orElse(new IssueRequest(null));
            int maxUses = request.maxUses() == null ? 1 : request.maxUses();
            ActivationCode code = RefusalException.valueOf(
                    codes.issue(caller.user(ctx), maxUses, Requests.idempotencyKey(ctx)));
            metrics.granted(MetricKey.ACTIVATION_CODES.value());
            ctx.status(201).json(IssuedResponse.from(code));
        });
        routes.post("/v1/activation-codes/{code}/redeem", KEY, (ctx, caller) -> {
            String code = ctx.pathParam("code");
            ActivationCode found = codes.get(code);
            if (caller.restrictedTo().filter(user -> !user.equals(found.user())).isPresent()) {
                // Exactly what a code that does not exist gets, so keys cannot probe for codes (R60).
                throw DomainException.notFound("activation_code_not_found", "no activation code " + code);
            }
            ActivationCode redeemed = keyed.run(ctx, found.user(), "redeem-code\n" + code,
                    () -> codes.redeem(code, caller.restrictedTo()),
                    done -> Integer.toString(done.useCount()),
                    useCount -> new ActivationCode(found.code(), found.user(), found.maxUses(),
                            Integer.parseInt(useCount), found.createdAt()));
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
