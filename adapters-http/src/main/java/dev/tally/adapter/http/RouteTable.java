package dev.tally.adapter.http;

import dev.tally.application.access.AccessService;
import dev.tally.application.access.Principal;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the API's routes with Javalin and remembers them, each with who may call it, so that
 * authentication is decided in one place and the OpenAPI document can be checked against what is
 * really served.
 */
final class RouteTable {

    /** Who may call a route. */
    enum Access {
        /** No key: monitoring and the dashboard page. */
        PUBLIC,
        /**
         * Any valid key; a user key only for its own user (R60): reading its data, checking its
         * entitlements, recording its own consumption (R62).
         */
        KEY,
        /** An admin key only: whatever creates value or changes terms (R62); a user key is 403. */
        ADMIN
    }

    /** One registered route; {@code path} uses Javalin's and OpenAPI's {@code {name}} syntax. */
    record Route(String method, String path, Access access) {
    }

    /** A handler of a route that needs a key, given the authenticated caller. */
    @FunctionalInterface
    interface ApiHandler {
        void handle(Context ctx, Caller caller) throws Exception;
    }

    private final RoutesConfig config;
    private final AccessService access;
    private final List<Route> routes = new ArrayList<>();

    RouteTable(RoutesConfig config, AccessService access) {
        this.config = config;
        this.access = access;
        // Every body has been read whole before Javalin sees the request (WholeBodyReader, R65), so a
        // refusal (401, 403, 404, 405) reaches a client that sent one rather than a reset connection.
    }

    void get(String path, Access who, ApiHandler handler) {
        add(HandlerType.GET, path, who, handler);
    }

    void post(String path, Access who, ApiHandler handler) {
        add(HandlerType.POST, path, who, handler);
    }

    void put(String path, Access who, ApiHandler handler) {
        add(HandlerType.PUT, path, who, handler);
    }

    void delete(String path, Access who, ApiHandler handler) {
        add(HandlerType.DELETE, path, who, handler);
    }

    /** A route anyone may call. */
    void publicGet(String path, Handler handler) {
        routes.add(new Route("GET", path, Access.PUBLIC));
        config.get(path, ctx -> {
            BoundedInput.request(ctx);
            handler.handle(ctx);
        });
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    private void add(HandlerType method, String path, Access who, ApiHandler handler) {
        if (who == Access.PUBLIC) {
            throw new IllegalArgumentException("use publicGet for " + path);
        }
        routes.add(new Route(method.name(), path, who));
        config.addHttpHandler(method, path, ctx -> {
            Caller caller = authorize(ctx, who);
            BoundedInput.request(ctx);
            handler.handle(ctx, caller);
        });
    }

    /** 401 for a missing or unknown key, 403 for a user key on an admin route. */
    private Caller authorize(Context ctx, Access who) {
        Principal principal = bearer(ctx.header("Authorization"))
                .flatMap(access::authenticate)
                .orElseThrow(ApiException::unauthorized);
        if (who == Access.ADMIN && !principal.isAdmin()) {
            throw ApiException.forbidden();
        }
        return new Caller(principal);
    }

    private static java.util.Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(header.substring(7).strip());
    }
}
