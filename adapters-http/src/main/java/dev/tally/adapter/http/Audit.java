package dev.tally.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.application.audit.AuditService;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * The audit entry of every operator write (R93): each admin route that writes, and the writes an
 * admin makes on routes any key may call where the design names them (an activation code the
 * operator issues), appends one entry once it has answered 2xx, in a transaction of its own. The
 * entry names the route's action, its target (from the path), the key and the request id, and a
 * summary: what the handler noted ({@link #note}), else the request's body with secrets left out.
 */
final class Audit {

    /** What each audited route does, and which path parameter names its target, as what. */
    record Action(String name, String targetParam, String targetKind) {
    }

    private static final Map<String, Action> ACTIONS = Map.ofEntries(
            entry("PUT /v1/plans/{plan_id}", "plan.put", "plan_id", "plan"),
            entry("PUT /v1/models/{model}", "model_price.put", "model", "model"),
            entry("PUT /v1/users/{user_id}", "user.put", "user_id", "user"),
            entry("POST /v1/users/{user_id}/plan", "user.plan_change", "user_id", "user"),
            entry("DELETE /v1/users/{user_id}/plan/pending", "user.plan_change_cancel", "user_id", "user"),
            entry("PUT /v1/users/{user_id}/overrides", "override.put", "user_id", "user"),
            entry("DELETE /v1/users/{user_id}/overrides", "override.delete", "user_id", "user"),
            entry("PUT /v1/meters/{key}", "meter.put", "key", "meter"),
            entry("POST /v1/users/{user_id}/billing-period/reset", "user.billing_period_reset", "user_id", "user"),
            entry("POST /v1/users/{user_id}/api-keys", "api_key.create", "user_id", "user"),
            entry("DELETE /v1/api-keys/{key_id}", "api_key.revoke", "key_id", "api_key"),
            entry("POST /v1/users/{user_id}/credits/purchases", "credit.purchase", "user_id", "user"),
            entry("POST /v1/users/{user_id}/credits/grants", "credit.grant", "user_id", "user"),
            entry("POST /v1/users/{user_id}/credits/refunds", "credit.refund", "user_id", "user"),
            entry("POST /v1/users/{user_id}/credits/adjustments", "credit.adjustment", "user_id", "user"),
            entry("PUT /v1/users/{user_id}/allocations/{metric}", "allocation.set", "user_id", "user"),
            entry("PUT /v1/webhook-endpoints/{id}", "webhook_endpoint.put", "id", "webhook_endpoint"),
            entry("DELETE /v1/webhook-endpoints/{id}", "webhook_endpoint.delete", "id", "webhook_endpoint"),
            entry("POST /v1/events/{id}/redeliver", "event.redeliver", "id", "event"),
            entry("POST /v1/users/{user_id}/usage/{record_id}/void", "usage.void", "user_id", "user"),
            entry("POST /v1/users/{user_id}/activation-codes", "activation_code.issue", "user_id", "user"));

    private static final String NOTE = Audit.class.getName() + ".note";
    /** Request fields never copied into the log. */
    private static final java.util.Set<String> SECRET_FIELDS = java.util.Set.of("secret", "key", "api_key", "token");

    private final AuditService audit;

    Audit(AuditService audit) {
        this.audit = audit;
    }

    private static Map.Entry<String, Action> entry(String route, String name, String param, String kind) {
        return Map.entry(route, new Action(name, param, kind));
    }

    /** The action of a route, when it is one the log names; any other admin write is named by its route. */
    static Optional<Action> named(String method, String path) {
        return Optional.ofNullable(ACTIONS.get(method + " " + path));
    }

    /** Whether a request on this route by this caller is an operator write to log. */
    static boolean audited(RouteTable.Route route, Caller caller) {
        if (!caller.isAdmin() || route.method().equals("GET")) {
            return false;
        }
        return route.access() == RouteTable.Access.ADMIN || named(route.method(), route.path()).isPresent();
    }

    /** Sets the summary of this request's entry: what changed, for a person. */
    static void note(Context ctx, String summary) {
        ctx.attribute(NOTE, summary);
    }

    /** Appends the entry of a request that has been answered with success. */
    void record(Context ctx, RouteTable.Route route, Caller caller) {
        if (ctx.statusCode() >= 300) {
            return;
        }
        Action action = named(route.method(), route.path()).orElseGet(() -> new Action(
                route.method().toLowerCase(java.util.Locale.ROOT) + " " + route.path(), "", ""));
        String target = action.targetParam().isEmpty() ? "" : action.targetKind() + ":" + ctx.pathParam(action.targetParam());
        String noted = ctx.attribute(NOTE);
        audit.record(caller.keyId(), action.name(), target, RequestIds.of(ctx), noted != null ? noted : summary(ctx));
    }

    /** The request's JSON body without its secrets, compact; the path alone when there is none. */
    private static String summary(Context ctx) {
        String body = ctx.body();
        if (body.isBlank()) {
            return ctx.method().name() + " " + ctx.path();
        }
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node instanceof ObjectNode object) {
                SECRET_FIELDS.forEach(field -> {
                    if (object.has(field)) {
                        object.put(field, "(not logged)");
                    }
                });
            }
            return Json.mapper().writeValueAsString(node);
        } catch (Exception notJson) {
            return ctx.method().name() + " " + ctx.path();
        }
    }
}
