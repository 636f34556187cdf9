package dev.tally.adapter.http;

import dev.tally.application.access.AccessService;
import dev.tally.application.access.Principal;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Registers the API's routes with Javalin and remembers them, each with who may call it, so that
 * authentication and rate limits (R67) are decided in one place and the OpenAPI document can be
 * checked against what is really served.
 *
 * <p>A request with a valid key spends that key's allowance; any other request spends its client
 * address's allowance <em>before</em> its key is looked up, so unknown keys cost at most the
 * address's rate in look-ups and never spend a real key's allowance.
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
        ADMIN,
        /** The admin key or the metrics token (R68): {@code /metrics}; a user key is 403. */
        METRICS
    }

    /** One registered route; {@code path} uses Javalin's and OpenAPI's {@code {name}} syntax. */
    record Route(String method, String path, Access access) {
    }

    /** A handler of a route that needs a key, given the authenticated caller. */
    @FunctionalInterface
    interface ApiHandler {
        void handle(Context ctx, Caller caller) throws Exception;
    }

    /** The longest key {@link AccessService#authenticate} considers; longer ones are unknown without hashing. */
    private static final int MAX_KEY_LENGTH = 200;

    private final RoutesConfig config;
    private final AccessService access;
    private final ClientRates rates;
    /** The metrics token's hash, the form keys are stored in (R61), compared in constant time. */
    private final Optional<byte[]> metricsToken;
    private final List<Route> routes = new ArrayList<>();
    private final Audit audit;

    RouteTable(RoutesConfig config, AccessService access, ClientRates rates, Optional<String> metricsToken,
               Audit audit) {
        this.config = config;
        this.audit = audit;
        this.access = access;
        this.rates = rates;
        this.metricsToken = metricsToken.map(RouteTable::hash);
        // Every body has been read whole before Javalin sees the request (WholeBodyReader, R65), so a
        // refusal (401, 403, 404, 405) reaches a client that sent one rather than a reset connection.
    }

    void get(String path, Access who, ApiHandler handler) {
        add(HandlerType.GET, path, who, handler);
    }

    void post(String path, Access who, ApiHandler handler) {
        add(HandlerType.POST, path, who, handler);
    }

    /**
     * A route for any key whose body carries usage records (R67): a key with no record left to
     * spend is refused before its body is read, and a key this node knows before it is looked up.
     */
    void postRecords(String path, ApiHandler handler) {
        add(HandlerType.POST, path, Access.KEY, handler, true);
    }

    void put(String path, Access who, ApiHandler handler) {
        add(HandlerType.PUT, path, who, handler);
    }

    void delete(String path, Access who, ApiHandler handler) {
        add(HandlerType.DELETE, path, who, handler);
    }

    /** A route anyone may call, within the rate of their address. */
    void publicGet(String path, Handler handler) {
        routes.add(new Route("GET", path, Access.PUBLIC));
        config.get(path, ctx -> {
            rates.address(address(ctx)).request(ctx);
            BoundedInput.request(ctx);
            handler.handle(ctx);
        });
    }

    /**
     * A route for the admin key or the metrics token (R68), within the rate of the caller's address:
     * a scraper's token is no API key, and its requests are few.
     */
    void metricsGet(String path, Handler handler) {
        routes.add(new Route("GET", path, Access.METRICS));
        config.get(path, ctx -> {
            rates.address(address(ctx)).request(ctx);
            Optional<String> presented = bearer(ctx.header("Authorization"));
            boolean token = metricsToken.isPresent() && presented
                    .filter(key -> MessageDigest.isEqual(hash(key), metricsToken.get())).isPresent();
            if (!token) {
                Principal principal = presented.flatMap(this::authenticate).orElseThrow(ApiException::unauthorized);
                if (!principal.isAdmin()) {
                    throw ApiException.forbidden();
                }
            }
            BoundedInput.request(ctx);
            handler.handle(ctx);
        });
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    private void add(HandlerType method, String path, Access who, ApiHandler handler) {
        add(method, path, who, handler, false);
    }

    private void add(HandlerType method, String path, Access who, ApiHandler handler, boolean records) {
        if (who == Access.PUBLIC || who == Access.METRICS) {
            throw new IllegalArgumentException("use publicGet or metricsGet for " + path);
        }
        Route route = new Route(method.name(), path, who);
        routes.add(route);
        config.addHttpHandler(method, path, ctx -> {
            Caller caller = authorize(ctx, who, records);
            BoundedInput.request(ctx);
            handler.handle(ctx, caller);
            if (Audit.audited(route, caller)) {
                // Once the write is done and answered 2xx, in a transaction of its own (R93).
                audit.record(ctx, route, caller);
            }
        });
    }

    /**
     * 401 for a missing or unknown key, 429 past the key's rate (or, without a valid key, the
     * address's), 403 for a user key on an admin route. A key this node knows spends its allowance
     * before it is looked up, so that what it sends past its rate costs no look-up either.
     */
    private Caller authorize(Context ctx, Access who, boolean records) {
        Optional<String> presented = bearer(ctx.header("Authorization"));
        Optional<String> hash = presented.filter(key -> key.length() <= MAX_KEY_LENGTH).map(AccessService::hash);
        Optional<ClientRates.Allowance> known = hash.flatMap(rates::known);
        if (known.isPresent()) {
            spend(ctx, known.get(), records);
        } else {
            rates.address(address(ctx)).request(ctx);
        }
        Optional<Principal> principal = presented.flatMap(this::authenticate);
        if (principal.isEmpty()) {
            if (known.isPresent()) {
                // Revoked: from now on it counts as no key.
                rates.forget(hash.get());
                rates.address(address(ctx)).request(ctx);
            }
            throw ApiException.unauthorized();
        }
        ClientRates.Allowance allowance = known.orElseGet(() -> rates.key(hash.orElseThrow(), principal.get().isAdmin()));
        if (known.isEmpty()) {
            spend(ctx, allowance, records);
        }
        if (who == Access.ADMIN && !principal.get().isAdmin()) {
            throw ApiException.forbidden();
        }
        return new Caller(principal.get(), allowance);
    }

    private static void spend(Context ctx, ClientRates.Allowance allowance, boolean records) {
        allowance.request(ctx);
        if (records) {
            allowance.requireRecords(ctx);
        }
    }

    private Optional<Principal> authenticate(String key) {
        return key.length() > MAX_KEY_LENGTH ? Optional.empty() : access.authenticate(key);
    }

    private static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).strip());
    }

    /** The client's own address: a forwarded-for header is the client's to choose, so it is not read. */
    private static String address(Context ctx) {
        return ctx.req().getRemoteAddr();
    }

    private static byte[] hash(String key) {
        return AccessService.hash(key).getBytes(StandardCharsets.US_ASCII);
    }
}
