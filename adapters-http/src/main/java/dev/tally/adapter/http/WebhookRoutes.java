package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;

import dev.tally.application.port.WebhookStore;
import dev.tally.application.webhook.PutEndpoint;
import dev.tally.application.webhook.SavedEndpoint;
import dev.tally.application.webhook.WebhookService;
import dev.tally.domain.webhook.WebhookEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Webhook endpoints, their delivery log and redelivery (R76, R77), admin only: the URLs and
 * secrets are the operator's.
 */
final class WebhookRoutes {

    private final WebhookService webhooks;

    WebhookRoutes(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    void register(RouteTable routes) {
        routes.put("/v1/webhook-endpoints/{id}", ADMIN, (ctx, caller) -> {
            EndpointRequest request = RequestBody.read(ctx, EndpointRequest.class);
            SavedEndpoint saved = webhooks.put(new PutEndpoint(ctx.pathParam("id"),
                    RequestFields.required(request.url(), "url"), RequestFields.required(request.events(), "events"),
                    Optional.ofNullable(request.enabled())));
            ctx.json(EndpointResponse.from(saved.endpoint(), saved.created()));
        });
        routes.get("/v1/webhook-endpoints", ADMIN, (ctx, caller) -> Listing.slice(ctx,
                webhooks.list().stream().map(endpoint -> EndpointResponse.from(endpoint, false)).toList(), "endpoints"));
        // Like every DELETE: 200 with the object as it was.
        routes.delete("/v1/webhook-endpoints/{id}", ADMIN, (ctx, caller) -> {
            RequestBody.none(ctx);
            ctx.json(EndpointResponse.from(webhooks.delete(ctx.pathParam("id")), false));
        });
        routes.get("/v1/webhook-endpoints/{id}/deliveries", ADMIN, (ctx, caller) -> Listing.slice(ctx,
                webhooks.attempts(ctx.pathParam("id")).stream().map(DeliveryResponse::from).toList(), "deliveries"));
        routes.post("/v1/events/{id}/redeliver", ADMIN, (ctx, caller) -> {
            RequestBody.none(ctx);
            ctx.status(202).json(new Redelivery(ctx.pathParam("id"),
                    webhooks.redeliver(ctx.pathParam("id"), RequestFields.idempotencyKey(ctx))));
        });
    }

    /** An endpoint as the operator sends it. */
    record EndpointRequest(String url, List<String> events, Boolean enabled) implements RequestBody.FieldChecks {

        private static final EndpointRequest VALID = new EndpointRequest("https://example.com/hook",
                List.of(WebhookEndpoint.ALL), null);

        /** Checks one field as an endpoint with it alone would check it; the address's host is checked on use. */
        @Override
        public void checkField(String field) {
            EndpointRequest alone = RequestBody.only(this, field, VALID);
            new WebhookEndpoint("checked", RequestFields.required(alone.url(), "url"),
                    RequestFields.required(alone.events(), "events"), true, "checked", Instant.EPOCH);
        }
    }

    /** An endpoint; {@code secret} only in the answer that created it. */
    record EndpointResponse(String id, String url, List<String> events, boolean enabled, String secret,
                            String createdAt) {
        static EndpointResponse from(WebhookEndpoint endpoint, boolean showSecret) {
            return new EndpointResponse(endpoint.id(), endpoint.url(), endpoint.events(), endpoint.enabled(),
                    showSecret ? endpoint.secret() : null, endpoint.createdAt().toString());
        }
    }


    /** One attempt: {@code status_code} null when no answer came, {@code error} why. */
    record DeliveryResponse(String eventId, int attempt, Integer statusCode, long latencyMs, String error, String at) {
        static DeliveryResponse from(WebhookStore.Attempt attempt) {
            return new DeliveryResponse(attempt.eventId(), attempt.attempt(),
                    attempt.statusCode().isPresent() ? attempt.statusCode().getAsInt() : null, attempt.latencyMs(),
                    attempt.error().orElse(null), attempt.at().toString());
        }
    }


    /** How many endpoints the event is due at again. */
    record Redelivery(String eventId, int endpoints) {
    }
}
