package dev.tally.adapter.http;

import static dev.tally.adapter.http.RouteTable.Access.ADMIN;
import static dev.tally.adapter.http.RouteTable.Access.KEY;

import dev.tally.application.access.AccessService;
import dev.tally.application.access.CreatedKey;
import dev.tally.application.port.ApiKey;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * API keys (admin only): create a user's key, shown once (R61); list keys without plaintext and
 * revoke one (R63).
 */
final class ApiKeyRoutes {

    private final AccessService access;

    ApiKeyRoutes(AccessService access) {
        this.access = access;
    }

    void register(RouteTable routes) {
        routes.post("/v1/users/{user_id}/api-keys", ADMIN, (ctx, caller) -> {
            RequestBody.none(ctx);
            ctx.status(201).json(CreatedResponse.from(access.createUserKey(caller.user(ctx),
                    RequestFields.idempotencyKey(ctx))));
        });
        // Whose key this is, so that a page signed in with a key alone can open that user's page.
        routes.get("/v1/me", KEY, (ctx, caller) -> ctx.json(new Me(caller.isAdmin() ? "admin" : "user",
                caller.restrictedTo().map(UserId::value).orElse(null))));
        routes.get("/v1/api-keys", ADMIN, (ctx, caller) -> {
            Optional<UserId> user = Optional.ofNullable(ctx.queryParam("user_id")).filter(id -> !id.isEmpty())
                    .map(UserId::new);
            Listing.slice(ctx, access.list(user).stream().map(KeyResponse::from).toList(), "keys");
        });
        // Revoking twice answers the same key with its first revocation instant.
        routes.delete("/v1/api-keys/{key_id}", ADMIN, (ctx, caller) -> {
            RequestBody.none(ctx);
            ctx.json(KeyResponse.from(access.revoke(ctx.pathParam("key_id"))));
        });
    }

    /** The presented key: {@code admin}, or {@code user} with the user it acts for. */
    record Me(String kind, String userId) {
    }

    /**
     * A new key: its plaintext, shown this once (R61), and what identifies it afterwards (R63); a
     * retry under the same {@code Idempotency-Key} answers the same key with {@code key} null.
     */
    record CreatedResponse(String id, String key, String prefix, Instant createdAt) {
        static CreatedResponse from(CreatedKey created) {
            return new CreatedResponse(created.id(), created.key(), created.prefix(), created.createdAt());
        }
    }


    /** A stored key as the operator sees it: never its plaintext or hash; {@code user_id} null for an admin key. */
    record KeyResponse(String id, String userId, String prefix, Instant createdAt, Instant lastUsedAt,
                       Instant revokedAt) {
        static KeyResponse from(ApiKey key) {
            return new KeyResponse(key.id(), key.user().map(UserId::value).orElse(null), key.prefix().orElse(null),
                    key.createdAt(), key.lastUsedAt().orElse(null), key.revokedAt().orElse(null));
        }
    }
}
