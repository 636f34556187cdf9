package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * A fuzz suite of the whole HTTP API (R12, R64): requests to every registered route with generated
 * path parameters, query strings, headers and bodies (valid shapes with hostile values: huge and
 * tiny exponents, NUL, lone surrogates, duplicate keys, wrong types, deep nesting, long strings),
 * sent with an admin key, a user key or none. Whatever is sent, the answer is never a 5xx; an
 * error is a JSON {@code {"error": <snake_case code>, "message"}} under 4 KB; and a 4xx changed
 * nothing the user or the operator can read.
 *
 * <p>{@value #DEFAULT_TRIES} requests per run and backend; {@code -Dtally.fuzz.tries=5000} for more,
 * {@code -Dtally.fuzz.seed=<seed>} to replay the run that printed it.
 */
public abstract class HttpFuzzScenarios {

    static final int DEFAULT_TRIES = 500;

    private static final Instant START = Instant.parse("2026-10-15T12:00:00Z");
    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{1,63}");
    private static final String USER = "acme";
    private static final AtomicInteger KEYS = new AtomicInteger();
    /** Marks a query value sent exactly as written, percent escapes and all. */
    private static final String RAW = "raw:";

    private StorageFixture storage;
    private TallyServer server;
    private ApiClient admin;
    private ApiClient acme;
    private final Map<String, String> known = new LinkedHashMap<>();
    private List<JsonNode> before;
    private int sent;
    private int serverErrors;

    /** Where the data lives; in memory unless a subclass says otherwise. */
    protected StorageFixture storage() {
        return StorageFixture.inMemory();
    }

    /** Sets the number of tries from {@code tally.fuzz.tries}, and the seed from {@code tally.fuzz.seed} to replay a run. */
    public static final class Tries implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(Integer.getInteger("tally.fuzz.tries", DEFAULT_TRIES));
            String seed = System.getProperty("tally.fuzz.seed");
            if (seed != null && !seed.isBlank()) {
                context.attributes().setSeed(seed);
            }
            return property.execute();
        }
    }

    @BeforeProperty
    void startServer() {
        storage = storage();
        Tally tally = Tally.create(storage.open(), new ManualClock(START), Tally.Settings.DEFAULTS);
        // Without rate limits: the clock stands still, so a spent allowance would answer 429 to the rest.
        server = TallyServer.start(tally, ServerSettings.onPort(0).withRates(RateLimits.NONE));
        admin = new ApiClient(server.port(), tally.access().createAdminKey());
        ok(admin.put("/v1/plans/pro", "{\"name\": \"Pro\", \"limits\": {\"runs\": 50, \"exports\": 1000,"
                + " \"cost_usd\": 25, \"sessions\": 100}, \"max_file_size_mb\": 50}"));
        ok(admin.put("/v1/models/gpt-4o", "{\"input_per_1k\": 0.005, \"output_per_1k\": 0.015}"));
        ok(admin.put("/v1/users/" + USER, "{\"plan_id\": \"pro\"}"));
        acme = admin.withKey(ok(admin.post("/v1/users/" + USER + "/api-keys", null)).json().get("key").asText());
        String u = "/v1/users/" + USER;
        ok(admin.send("POST", u + "/credits/purchases", "{\"amount\": 100}", Map.of("Idempotency-Key", "seed")));
        known.put("user_id", USER);
        known.put("plan_id", "pro");
        known.put("model", "gpt-4o");
        known.put("run_id", ok(acme.post(u + "/report-runs", "{}")).json().get("id").asText());
        known.put("session_id", ok(acme.post(u + "/sessions", "{\"title\": \"t\"}")).json().get("id").asText());
        known.put("code", ok(acme.post(u + "/activation-codes", "{\"max_uses\": 5}")).json().get("code").asText());
        known.put("usage_transaction_id", ok(acme.send("POST", u + "/credits/usage",
                "{\"amount\": 3, \"operation\": \"export\"}", Map.of("Idempotency-Key", "spend"))).json()
                .get("id").asText());
    }

    @AfterProperty
    void stopServer() {
        System.out.printf("HTTP fuzz (%s): %d requests, %d answered 5xx%n", getClass().getSimpleName(), sent,
                serverErrors);
        if (server != null) {
            server.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    /** One generated request; {@code @valid} in a path value stands for a real id of that parameter. */
    record Request(int route, List<String> pathValues, Map<String, String> query, String idempotencyKey,
                   String contentType, String body, int who) {

        /** The same request to the route a valid-shaped body was made for. */
        Request to(Shape shape, String filled) {
            int route = -1 - SHAPES.indexOf(shape);
            if (shape.method().equals("GET")) {
                return new Request(route, pathValues, Map.of("at", filled), idempotencyKey, contentType, null, who);
            }
            return new Request(route, pathValues, query, idempotencyKey, contentType, filled, who);
        }
    }

    /**
     * A valid body of one route with one value left open ({@code %s}), for the generator to fill;
     * for a {@code GET}, the instant {@code ?at=} that picks the period.
     */
    record Shape(String method, String path, String body) {
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("POST", "/v1/users/{user_id}/usage", "{\"records\": [{\"metric\": \"exports\", \"quantity\": %s,"
                    + " \"idempotency_key\": \"$k\"}], \"enforce\": true}"),
            new Shape("POST", "/v1/users/{user_id}/usage", "{\"records\": [{\"metric\": %s, \"quantity\": 1,"
                    + " \"idempotency_key\": \"$k\", \"occurred_at\": \"2026-10-15T11:00:00Z\"}]}"),
            new Shape("POST", "/v1/users/{user_id}/usage", "{\"records\": [{\"metric\": \"exports\", \"quantity\": 1,"
                    + " \"idempotency_key\": \"$k\", \"occurred_at\": %s}]}"),
            new Shape("POST", "/v1/users/{user_id}/usage", "{\"records\": [{\"metric\": \"exports\", \"quantity\": 1,"
                    + " \"idempotency_key\": \"$k\", \"dimensions\": {\"model\": %s}}]}"),
            new Shape("PUT", "/v1/plans/{plan_id}", "{\"name\": \"Pro\", \"limits\": {\"runs\": %s, \"exports\": 1000,"
                    + " \"cost_usd\": 25, \"sessions\": 100}, \"max_file_size_mb\": 50}"),
            new Shape("PUT", "/v1/plans/{plan_id}", "{\"name\": \"Pro\", \"limits\": {\"runs\": 50, \"exports\": 1000,"
                    + " \"cost_usd\": 25, \"sessions\": 100}, \"max_file_size_mb\": %s}"),
            new Shape("PUT", "/v1/users/{user_id}", "{\"plan_id\": \"pro\", \"billing\": {\"cycle\": \"anniversary\","
                    + " \"anchor\": %s, \"time_zone\": \"Europe/Berlin\"}}"),
            new Shape("POST", "/v1/users/{user_id}/sessions", "{\"title\": %s, \"file_size_mb\": 1}"),
            new Shape("POST", "/v1/users/{user_id}/sessions", "{\"title\": \"t\", \"file_size_mb\": %s}"),
            new Shape("POST", "/v1/users/{user_id}/sessions/{session_id}/complete", "{\"duration_seconds\": %s}"),
            new Shape("POST", "/v1/users/{user_id}/report-runs/{run_id}/complete", "{\"status\": \"succeeded\","
                    + " \"tokens_input\": %s, \"tokens_output\": 5, \"model\": \"gpt-4o\", \"commits_processed\": 1}"),
            new Shape("POST", "/v1/users/{user_id}/report-runs/{run_id}/complete", "{\"status\": \"failed\","
                    + " \"cost_usd\": %s, \"error_message\": \"e\"}"),
            new Shape("POST", "/v1/users/{user_id}/report-runs", "{\"repository_id\": %s}"),
            new Shape("POST", "/v1/users/{user_id}/credits/usage", "{\"amount\": %s, \"operation\": \"export\"}"),
            new Shape("POST", "/v1/users/{user_id}/credits/usage", "{\"amount\": 1, \"operation\": %s}"),
            new Shape("POST", "/v1/users/{user_id}/credits/adjustments", "{\"amount\": 1, \"reason\": %s}"),
            new Shape("POST", "/v1/users/{user_id}/credits/refunds", "{\"usage_transaction_id\": %s, \"amount\": 1}"),
            new Shape("POST", "/v1/users/{user_id}/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": %s,"
                    + " \"model\": \"gpt-4o\", \"latency_ms\": 5}"),
            new Shape("POST", "/v1/users/{user_id}/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": 0.5,"
                    + " \"provider\": %s, \"latency_ms\": 5, \"status_code\": 200}"),
            new Shape("POST", "/v1/users/{user_id}/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": 0.5,"
                    + " \"latency_ms\": %s}"),
            new Shape("GET", "/v1/users/{user_id}/usage", "%s"),
            new Shape("GET", "/v1/users/{user_id}/billing", "%s"),
            new Shape("GET", "/v1/users/{user_id}/costs", "%s"),
            new Shape("GET", "/v1/users/{user_id}/credits/usage-by-operation", "%s"),
            new Shape("GET", "/v1/users/{user_id}/report-runs/usage", "%s"),
            new Shape("PUT", "/v1/models/{model}", "{\"input_per_1k\": %s, \"output_per_1k\": 1}"),
            new Shape("POST", "/v1/users/{user_id}/activation-codes", "{\"max_uses\": %s}"),
            new Shape("POST", "/v1/users/{user_id}/report-runs/{run_id}/webhook-deliveries",
                    "{\"delivered\": true, \"response_status\": %s}"));

    @Property(shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(Tries.class)
    void R12_R64_no_request_is_answered_5xx_every_error_is_short_json_and_a_refusal_changes_nothing(
            @ForAll("requests") Request request) {
        List<RouteTable.Route> routes = server.routes();
        RouteTable.Route route = request.route() >= 0 ? routes.get(request.route() % routes.size())
                : route(routes, SHAPES.get(-1 - request.route()));
        String pathOnly = path(route.path(), request.pathValues());
        String path = pathOnly + query(request.query());
        Map<String, String> headers = new LinkedHashMap<>();
        if (request.idempotencyKey() != null) {
            headers.put("Idempotency-Key", request.idempotencyKey());
        }
        if (request.contentType() != null) {
            headers.put("Content-Type", request.contentType());
        }
        ApiClient client = switch (request.who()) {
            case 0 -> admin;
            case 1 -> acme;
            default -> admin.withKey(null);
        };
        List<JsonNode> expected = before == null ? state() : before;
        // Unknown until this request's answer is known; a failed try leaves no stale picture for the next one.
        before = null;
        // The server's URI parser refuses a NUL in a path before reading anything else and closes the connection,
        // so a body still being sent would meet a reset: such a request is sent without one.
        String body = pathOnly.contains("%00") ? null : request.body();
        ApiClient.Response response = client.send(route.method(), path, body, headers);
        sent++;
        String label = route.method() + " " + path + " " + headers + " " + body + " -> " + response.status()
                + " " + ApiClient.abbreviate(response.text());
        if (response.status() >= 500) {
            serverErrors++;
        }
        assertThat(response.status()).as(label).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.text().length()).as(label).isLessThan(4_096);
            assertThat(response.contentType()).as(label).startsWith("application/json");
            JsonNode error = response.json();
            assertThat(error.path("error").asText()).as(label).matches(CODE).isNotEqualTo("internal_error");
            assertThat(error.path("message").asText()).as(label).isNotBlank();
            List<JsonNode> after = state();
            before = after;
            for (int i = 0; i < after.size(); i++) {
                assertThat(after.get(i)).as("a refusal changed " + STATE.get(i) + ": " + label)
                        .isEqualTo(expected.get(i));
            }
        }
    }

    private static RouteTable.Route route(List<RouteTable.Route> routes, Shape shape) {
        return routes.stream().filter(r -> r.method().equals(shape.method()) && r.path().equals(shape.path()))
                .findFirst().orElseThrow(() -> new AssertionError("no route " + shape));
    }

    private static final List<String> STATE = List.of("billing", "usage", "runs", "ledger", "plans", "models",
            "session");

    /** What a refused request must leave as it was: the user's and the operator's views, as {@link #STATE} names them. */
    private List<JsonNode> state() {
        String u = "/v1/users/" + USER;
        return List.of(ok(admin.get(u + "/billing")).json(), ok(admin.get(u + "/usage")).json(),
                ok(admin.get(u + "/report-runs?limit=100")).json(),
                ok(admin.get(u + "/credits/transactions?limit=100")).json(), ok(admin.get("/v1/plans")).json(),
                ok(admin.get("/v1/models")).json(), ok(admin.get(u + "/sessions/" + known.get("session_id"))).json());
    }

    private String path(String template, List<String> values) {
        Matcher matcher = PARAM.matcher(template);
        StringBuilder path = new StringBuilder();
        int i = 0;
        while (matcher.find()) {
            String value = values.get(i++ % values.size());
            String name = matcher.group(1);
            String resolved = "@valid".equals(value) ? known.getOrDefault(name, USER) : value;
            matcher.appendReplacement(path, Matcher.quoteReplacement("@raw".equals(value) ? "%00" : encode(resolved)));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    private static String query(Map<String, String> query) {
        StringBuilder text = new StringBuilder();
        query.forEach((name, value) -> text.append(text.length() == 0 ? '?' : '&').append(encode(name)).append('=')
                .append(value.startsWith(RAW) ? value.substring(RAW.length()) : encode(value)));
        return text.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ApiClient.Response ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 299);
        return response;
    }

    // --- generators ------------------------------------------------------------------------------

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<List<String>> pathValues = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just("@valid")),
                Tuple.of(1, Arbitraries.just("@raw")),
                Tuple.of(2, hostileText())).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<Map<String, String>> query = Arbitraries.maps(
                Arbitraries.of("at", "limit", "offset", "top", "period", "quantity", "metric", "x"),
                queryValue()).ofMaxSize(3);
        Arbitrary<String> idempotencyKey = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just((String) null)),
                Tuple.of(5, Arbitraries.create(() -> "fz-" + KEYS.incrementAndGet())),
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(400)));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just("application/json")),
                Tuple.of(1, Arbitraries.of("text/plain", "application/xml", "application/json; charset=utf-16",
                        "APPLICATION/JSON; charset=UTF-8", "application/x-www-form-urlencoded", "application/")),
                Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<String> body = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just((String) null)),
                Tuple.of(10, object(2)),
                Tuple.of(1, Arbitraries.of("", "{", "[]", "null", "{\"a\":1}}", "\"text\"", "{\"records\": [[[[[[]]]]]]}",
                        "[".repeat(40) + "]".repeat(40), "{\"a\":\"\\ud800\"}", "{\"a\":\"\u0000\"}")));
        Arbitrary<Request> anyRoute = Combinators.combine(Arbitraries.integers().between(0, 999), pathValues, query,
                idempotencyKey, contentType, body, Arbitraries.integers().between(0, 2)).as(Request::new);
        Arbitrary<Request> shaped = Combinators.combine(anyRoute, Arbitraries.of(SHAPES), value(1, 3), instant())
                .as((request, shape, filled, at) -> request.to(shape, shape.method().equals("GET") ? at
                        : shape.body().replace("%s", filled).replace("$k", "fz-" + KEYS.incrementAndGet())));
        return Arbitraries.frequencyOf(Tuple.of(1, anyRoute), Tuple.of(1, shaped));
    }

    private static Arbitrary<String> instant() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999Z",
                        "0001-01-01T00:00:00Z", "1677-09-21T00:00:00Z", "2262-04-12T00:00:00Z", "2026-10-15T11:00:00Z",
                        "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "2026-10-15T11:00:00+14:00",
                        "2026-13-01T00:00:00Z", "1969-12-31T23:59:59Z")),
                Tuple.of(1, hostileText()));
    }

    private static Arbitrary<String> queryValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("2026-10-15T11:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                        "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "1", "0", "-1", "100", "101",
                        "99999999999999999999", "current", "previous", "runs", "exports", "1e-999999999", RAW + "%00",
                        RAW + "%ED%A0%80", RAW + "%FF", RAW + "%C0%80", "")),
                Tuple.of(1, hostileText()));
    }

    private static Arbitrary<String> hostileText() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("acme", "pro", "bob", "gpt-4o", "exports", "a b", "..", "%2F", "ü", "😀",
                        "x".repeat(300))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.strings().withChars('\u0000', '\ud800', '\udc00', 'a', '"', '\\', '/', '%')
                        .ofMaxLength(6)));
    }

    /** A JSON object as text, with the API's field names, plausible values and hostile ones. */
    private static Arbitrary<String> object(int depth) {
        Arbitrary<String> entry = Combinators.combine(fieldName(), value(depth)).as(HttpFuzzScenarios::member);
        Arbitrary<List<String>> entries = entry.list().ofMaxSize(6);
        return Combinators.combine(entries, Arbitraries.integers().between(0, 9)).as((members, duplicate) -> {
            List<String> all = new ArrayList<>(members);
            if (duplicate == 0 && !all.isEmpty()) {
                all.add(all.get(0));
            }
            return "{" + String.join(", ", all) + "}";
        });
    }

    private static String member(String name, String value) {
        return quote(name) + ": " + value;
    }

    private static Arbitrary<String> fieldName() {
        return Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of("records", "metric", "quantity", "idempotency_key", "occurred_at",
                        "dimensions", "enforce", "name", "limits", "max_file_size_mb", "warning_threshold_percent",
                        "plan_id", "billing", "cycle", "anchor", "time_zone", "title", "file_size_mb",
                        "duration_seconds", "repository_id", "configuration_id", "status", "tokens_input",
                        "tokens_output", "model", "commits_processed", "cost_usd", "error_code", "error_message",
                        "delivered", "response_status", "amount", "operation", "usage_transaction_id", "reason",
                        "call_type", "provider", "latency_ms", "status_code", "max_uses", "input_per_1k",
                        "output_per_1k", "runs", "exports", "sessions")),
                Tuple.of(1, hostileText()));
    }

    private static Arbitrary<String> value(int depth) {
        return value(depth, 1);
    }

    /** A JSON value; {@code hostility} weighs hostile numbers and text against plausible strings. */
    private static Arbitrary<String> value(int depth, int hostility) {
        Arbitrary<String> scalar = Arbitraries.frequencyOf(
                Tuple.of(4 * hostility, Arbitraries.of("1e-999999999", "1e999999999", "-1E-2147483647", "1e400",
                        "5e18", "5000000000000000000", "9223372036854775807", "-9223372036854775808",
                        "99999999999999999999", "1000000000001",
                        "3.14159265358979323846264338327950288419716939937510")),
                Tuple.of(3 * hostility, Arbitraries.of("1", "5", "0", "-1", "1.5", "2.0", "100", "0.000001",
                        "0.0000001", "1000000000000", "true", "false", "null", "[]", "{}")),
                Tuple.of(8, Arbitraries.of("exports", "runs", "sessions", "succeeded", "failed", "cancelled",
                        "running", "llm", "pro", "gpt-4o", "openai", "calendar_month", "anniversary",
                        "Europe/Berlin", "2026-10-15T11:00:00Z", "2026-10-15T12:04:00Z", "0001-01-01T00:00:00Z",
                        "9999-12-31T23:59:59Z", "2300-01-01T00:00:00Z", "unlimited", "export", "k1", "")
                        .map(HttpFuzzScenarios::quote)),
                Tuple.of(2 * hostility, hostileText().map(HttpFuzzScenarios::quote)),
                Tuple.of(hostility, Arbitraries.of("\"" + "x".repeat(70_000) + "\"", "\"\\u0000\"", "\"\\ud800\"",
                        "\"\\udc00\\ud800\"", "\"a\\u0000b\"")));
        if (depth == 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalar),
                Tuple.of(2, object(depth - 1)),
                Tuple.of(1, Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(3)
                        .map(items -> "[" + String.join(", ", items) + "]")));
    }

    /** Sets the tries of the cardinality property from {@code tally.fuzz.cardinality.tries}. */
    public static final class CardinalityTries implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(Integer.getInteger("tally.fuzz.cardinality.tries", 40));
            return property.execute();
        }
    }

    /** One write of the cardinality property: usage, an API call or an allocation change, on generated names. */
    record Write(String kind, List<String> names, boolean enforce) {
    }

    private static final AtomicInteger TENANTS = new AtomicInteger();
    /** The metric names writes draw from: few enough to repeat, more than any bound generated. */
    private static final List<String> METRICS = List.of("gpu", "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7",
            "m8", "m9");

    @Provide
    Arbitrary<List<Write>> writes() {
        Arbitrary<Write> usage = Combinators.combine(Arbitraries.of(METRICS).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.of(true, false)).as((names, enforce) -> new Write("usage", names, enforce));
        Arbitrary<Write> apiCall = Arbitraries.of("llm", "video", "x", "y").map(type ->
                new Write("api_call", List.of(type), false));
        Arbitrary<Write> allocation = Arbitraries.of("seats", "zz0", "zz1", "runs_x", "m0").map(name ->
                new Write("allocation", List.of(name), false));
        return Arbitraries.frequencyOf(Tuple.of(6, usage), Tuple.of(2, apiCall), Tuple.of(2, allocation))
                .list().ofMinSize(1).ofMaxSize(14);
    }

    /**
     * Cardinality (R67): whatever names a user key writes under, a period takes new metrics in
     * request order while it has fewer than {@code max_metrics}, the plan's declared ones always,
     * a refused write is {@code 422 too_many_metrics} naming the first metric without room and
     * stores nothing, the overview stays within the bound, and allocation calls on names the plan
     * does not list are {@code 404 allocation_not_found} and create no event.
     */
    @Property(shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(CardinalityTries.class)
    void R67_metrics_per_period_never_pass_the_bound_and_undeclared_allocations_create_nothing(
            @ForAll("writes") List<Write> writes, @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 6) int max) {
        String tenant = "card" + TENANTS.incrementAndGet();
        ok(admin.put("/v1/plans/" + tenant, "{\"limits\": {\"gpu\": 1000000}, \"allocations\": {\"seats\": 1000},"
                + " \"max_metrics\": " + max + "}"));
        ok(admin.put("/v1/users/" + tenant, "{\"plan_id\": \"" + tenant + "\"}"));
        ApiClient client = admin.withKey(ok(admin.post("/v1/users/" + tenant + "/api-keys", null)).json().get("key")
                .asText());
        String u = "/v1/users/" + tenant;
        List<String> counted = new ArrayList<>();
        for (Write write : writes) {
            if (write.kind().equals("allocation")) {
                String name = write.names().get(0);
                ApiClient.Response changed = client.post(u + "/allocations/" + name, "{\"delta\": 1}");
                if (name.equals("seats")) {
                    ok(changed);
                } else {
                    assertThat(changed.status()).as(changed.toString()).isIn(400, 404);
                    assertThat(changed.error()).isIn("allocation_not_found", "not_an_allocation");
                }
                continue;
            }
            List<String> metrics = write.kind().equals("usage") ? write.names()
                    : List.of("api_calls." + write.names().get(0));
            ApiClient.Response answer = write.kind().equals("usage") ? client.post(u + "/usage", batch(write))
                    : client.send("POST", u + "/api-calls", "{\"call_type\": \"" + write.names().get(0)
                            + "\", \"cost_usd\": 0}", Map.of("Idempotency-Key", "k" + KEYS.incrementAndGet()));
            List<String> fresh = new ArrayList<>();
            metrics.stream().distinct().filter(metric -> !counted.contains(metric)).forEach(fresh::add);
            List<String> undeclared = fresh.stream().filter(metric -> !metric.equals("gpu")).toList();
            int declared = fresh.size() - undeclared.size();
            if (!undeclared.isEmpty() && counted.size() + fresh.size() > max) {
                assertThat(answer.status()).as(write + " " + answer).isEqualTo(422);
                assertThat(answer.error()).isEqualTo("too_many_metrics");
                int room = Math.max(0, Math.min(max - counted.size() - declared, undeclared.size() - 1));
                assertThat(answer.json().get("metric").asText()).isEqualTo(undeclared.get(room));
                assertThat(answer.json().get("max_metrics").asInt()).isEqualTo(max);
            } else {
                assertThat(answer.status()).as(write + " " + answer).isBetween(200, 201);
                counted.addAll(fresh);
            }
        }
        JsonNode billing = ok(client.get(u + "/billing")).json();
        List<String> shown = new ArrayList<>();
        billing.get("metrics").forEach(m -> {
            if (m.get("used").decimalValue().signum() > 0) {
                shown.add(m.get("metric").asText());
            }
        });
        assertThat(shown).containsExactlyInAnyOrderElementsOf(counted);
        assertThat(billing.get("metrics").size()).isLessThanOrEqualTo(max + 1);
        assertThat(billing.get("allocations").size()).isEqualTo(1);
        assertThat(ok(admin.get("/v1/events?user_id=" + tenant)).json().get("events").size()).isZero();
    }

    private static String batch(Write write) {
        StringBuilder body = new StringBuilder("{\"enforce\": " + write.enforce() + ", \"records\": [");
        for (int i = 0; i < write.names().size(); i++) {
            body.append(i == 0 ? "" : ", ").append("{\"metric\": \"").append(write.names().get(i))
                    .append("\", \"quantity\": 1, \"idempotency_key\": \"k").append(KEYS.incrementAndGet())
                    .append("\"}");
        }
        return body.append("]}").toString();
    }

    /** A JSON string of {@code text}: quotes, backslashes and controls escaped, surrogates kept as they are. */
    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
