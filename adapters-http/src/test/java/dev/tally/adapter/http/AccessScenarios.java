package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.application.Tally;
import dev.tally.domain.user.UserId;
import dev.tally.domain.plan.PlanOverride;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may call what (R60–R63), over HTTP: every registered route against an admin key, the
 * user's own key, another user's key and no key; then keys listed, revoked and rotated.
 */
public abstract class AccessScenarios extends ApiTestSupport {

    /** What a route is for, and so what each caller gets. */
    enum Rule {
        /** No key needed: every caller gets 2xx. */
        PUBLIC,
        /** Creates value or changes terms (R62): admin 2xx, any user key 403, no key 401. */
        OPERATOR,
        /** The user's own data or consumption (R60, R62): admin and own key 2xx, another user's key 404, no key 401. */
        OWN_USER,
        /** Monitoring (R68): the admin key (or the metrics token) 2xx, any user key 403, no key 401. */
        METRICS,
        /** About the key itself: every valid key 2xx, no key 401. */
        ANY_KEY
    }

    /** One request; built afresh for every caller, so each gets a resource of its own to act on. */
    record Request(String path, String body, Map<String, String> headers) {
    }

    /** A route of the server, the rule it follows, and a request to it that an allowed caller completes. */
    record Case(String method, String route, Rule rule, Supplier<Request> request) {
    }

    private ApiClient acme;
    private ApiClient bob;
    private String sessionId;
    private String runId;
    private String eventId;

    private static final String METER = "{\"source\": \"visits\", \"aggregation\": \"unique_count\", "
            + "\"unique_dimension\": \"visitor\"}";

    @BeforeEach
    void twoUsersOnDifferentPlans() {
        String generous = "{\"runs\": 1000, \"sessions\": 1000, \"activation_codes\": 1000}";
        for (String plan : List.of("pro", "basic")) {
            assertOk(admin.put("/v1/plans/" + plan, "{\"name\": \"" + plan + "\", \"limits\": " + generous
                    + ", \"allocations\": {\"seats\": 1000}}"));
        }
        acme = user("acme", "pro");
        bob = user("bob", "basic");
        assertOk(admin.put("/v1/meters/seen_users", METER));
        purchase(admin, "acme", 1000);
        sessionId = newSession();
        runId = newRun();
        assertOk(admin.post("/v1/users/acme/report-runs/" + newRun() + "/complete", "{\"status\": \"failed\"}"));
        eventId = assertOk(admin.get("/v1/events?user_id=acme")).json().get("events").get(0).get("id").asText();
    }

    /** An endpoint body with a public address, disabled: nothing is ever posted to it. */
    private static final String ENDPOINT = "{\"url\": \"https://93.184.215.14/hook\", \"events\": [\"*\"], "
            + "\"enabled\": false}";

    /** A fresh webhook endpoint's id. */
    private String newEndpoint() {
        String id = "hook-" + key();
        assertOk(admin.put("/v1/webhook-endpoints/" + id, ENDPOINT));
        return id;
    }

    @Test
    void R60_R61_R62_every_route_answers_each_kind_of_caller_by_its_rule() {
        List<Case> cases = cases();
        Map<String, RouteTable.Access> registered = server.routes().stream().collect(Collectors.toMap(
                route -> route.method() + " " + route.path(), RouteTable.Route::access));
        assertThat(cases.stream().map(c -> c.method() + " " + c.route()).collect(Collectors.toSet()))
                .as("every registered route has a row, and no row is for a route that is not served")
                .isEqualTo(registered.keySet());

        Map<String, ApiClient> callers = new LinkedHashMap<>();
        callers.put("admin key", admin);
        callers.put("own user key", acme);
        callers.put("other user's key", bob);
        callers.put("no key", admin.withKey(null));
        SoftAssertions softly = new SoftAssertions();
        for (Case c : cases) {
            softly.assertThat(registered.get(c.method() + " " + c.route())).as(c.route())
                    .isEqualTo(switch (c.rule()) {
                        case PUBLIC -> RouteTable.Access.PUBLIC;
                        case OPERATOR -> RouteTable.Access.ADMIN;
                        case OWN_USER, ANY_KEY -> RouteTable.Access.KEY;
                        case METRICS -> RouteTable.Access.METRICS;
                    });
            callers.forEach((who, client) -> {
                Request request = c.request().get();
                ApiClient.Response response = client.send(c.method(), request.path(), request.body(),
                        request.headers());
                String label = c.method() + " " + c.route() + " with " + who + " -> " + response;
                Expected expected = expected(c.rule(), who);
                if (expected.status() == 200) {
                    softly.assertThat(response.status()).as(label).isBetween(200, 299);
                } else {
                    softly.assertThat(response.status()).as(label).isEqualTo(expected.status());
                    if (expected.error() != null) {
                        softly.assertThat(response.error()).as(label).isEqualTo(expected.error());
                    }
                }
            });
        }
        softly.assertAll();
    }

    @Test
    void R93_every_operator_write_route_appends_exactly_one_audit_entry_and_no_other_write_does() {
        List<String> adminKeys = adminKeyIds();
        assertThat(adminKeys).hasSize(1);
        String adminKeyId = adminKeys.get(0);
        SoftAssertions softly = new SoftAssertions();
        int n = 0;
        for (Case c : cases()) {
            if (c.method().equals("GET") || c.rule() == Rule.PUBLIC || c.rule() == Rule.METRICS) {
                continue;
            }
            Request request = c.request().get();
            String requestId = "audit-check-" + n++;
            Map<String, String> headers = new LinkedHashMap<>(request.headers());
            headers.put("Request-Id", requestId);
            ApiClient.Response response = admin.send(c.method(), request.path(), request.body(), headers);
            String label = c.method() + " " + c.route() + " -> " + response;
            softly.assertThat(response.status()).as(label).isBetween(200, 299);
            List<JsonNode> entries = auditEntries(requestId);
            boolean operatorWrite = c.rule() == Rule.OPERATOR || c.route().endsWith("/activation-codes");
            if (operatorWrite) {
                softly.assertThat(entries).as(label + ": one audit entry").hasSize(1);
                entries.forEach(entry -> {
                    softly.assertThat(entry.get("action").asText()).as(label).matches("[a-z_]+\\.[a-z_]+");
                    softly.assertThat(entry.get("actor_key_id").asText()).as(label).isEqualTo(adminKeyId);
                    softly.assertThat(entry.get("target").asText()).as(label).contains(":");
                    softly.assertThat(entry.get("at").asText()).as(label).isEqualTo(clock.instant().toString());
                });
            } else {
                softly.assertThat(entries).as(label + ": not an operator write").isEmpty();
                Request own = c.request().get();
                Map<String, String> ownHeaders = new LinkedHashMap<>(own.headers());
                ownHeaders.put("Request-Id", requestId + "-own");
                acme.send(c.method(), own.path(), own.body(), ownHeaders);
                softly.assertThat(auditEntries(requestId + "-own")).as(label + " by the user's own key").isEmpty();
            }
        }
        softly.assertAll();
    }

    private List<String> adminKeyIds() {
        List<String> ids = new ArrayList<>();
        assertOk(admin.get("/v1/api-keys")).json().get("data").forEach(key -> {
            if (key.get("user_id").isNull()) {
                ids.add(key.get("id").asText());
            }
        });
        return ids;
    }

    private List<JsonNode> auditEntries(String requestId) {
        List<JsonNode> found = new ArrayList<>();
        assertOk(admin.get("/v1/audit-log?limit=100")).json().get("data").forEach(entry -> {
            if (entry.get("request_id").asText().equals(requestId)) {
                found.add(entry);
            }
        });
        return found;
    }

    /** A status, 200 standing for any 2xx, and the error code when one is expected. */
    private record Expected(int status, String error) {
    }

    private static Expected expected(Rule rule, String who) {
        Expected ok = new Expected(200, null);
        if (rule == Rule.PUBLIC) {
            return ok;
        }
        if (who.equals("no key")) {
            return new Expected(401, "unauthorized");
        }
        if (who.equals("admin key") || rule == Rule.ANY_KEY) {
            return ok;
        }
        if (rule == Rule.OPERATOR || rule == Rule.METRICS) {
            return new Expected(403, "forbidden");
        }
        // Another user's resource is the 404 of a missing one, whatever its kind (user, plan, code).
        return who.equals("own user key") ? ok : new Expected(404, null);
    }

    private List<Case> cases() {
        String u = "/v1/users/acme";
        String users = "/v1/users/{user_id}";
        List<Case> cases = new ArrayList<>();
        // Monitoring, the document and the page.
        for (String path : List.of("/", "/openapi.json", "/v1/health")) {
            cases.add(new Case("GET", path, Rule.PUBLIC, () -> get(path)));
        }
        cases.add(new Case("GET", "/metrics", Rule.METRICS, () -> get("/metrics")));
        // Terms: plans, prices, users, their plans and periods (R62). The plan list may hold plans
        // made for one customer, so it is the operator's too; a user reads its own plan below.
        cases.add(new Case("PUT", "/v1/plans/{plan_id}", Rule.OPERATOR,
                () -> body("/v1/plans/extra", "{\"name\": \"extra\", \"limits\": {}}")));
        cases.add(new Case("GET", "/v1/plans", Rule.OPERATOR, () -> get("/v1/plans")));
        cases.add(new Case("PUT", "/v1/models/{model}", Rule.OPERATOR,
                () -> body("/v1/models/gpt-x", "{\"input_per_1k\": 1, \"output_per_1k\": 2}")));
        cases.add(new Case("GET", "/v1/models", Rule.OPERATOR, () -> get("/v1/models")));
        cases.add(new Case("PUT", users, Rule.OPERATOR, () -> body(u, "{\"plan_id\": \"pro\"}")));
        cases.add(new Case("GET", "/v1/users", Rule.OPERATOR, () -> get("/v1/users?status=ok,warning,exceeded")));
        cases.add(new Case("POST", users + "/plan", Rule.OPERATOR, () -> body(u + "/plan", "{\"plan_id\": \"pro\"}")));
        cases.add(new Case("POST", users + "/billing-period/reset", Rule.OPERATOR, () -> {
            clock.advance(Duration.ofMinutes(1)); // a reset starts a period later than the current one
            return new Request(u + "/billing-period/reset", null, Map.of("Idempotency-Key", key()));
        }));
        // Keys (R61, R63).
        cases.add(new Case("POST", users + "/api-keys", Rule.OPERATOR, () -> new Request(u + "/api-keys", null, Map.of())));
        cases.add(new Case("GET", "/v1/api-keys", Rule.OPERATOR, () -> get("/v1/api-keys?user_id=acme")));
        cases.add(new Case("GET", "/v1/me", Rule.ANY_KEY, () -> get("/v1/me")));
        cases.add(new Case("DELETE", "/v1/api-keys/{key_id}", Rule.OPERATOR,
                () -> new Request("/v1/api-keys/" + tally.access().createUserKey(new UserId("acme")).id(), null,
                        Map.of())));
        // Value: credits bought, granted, refunded or adjusted (R62). Spending is consumption.
        cases.add(new Case("POST", users + "/credits/purchases", Rule.OPERATOR,
                () -> credit(u + "/credits/purchases", "{\"amount\": 5}")));
        cases.add(new Case("POST", users + "/credits/grants", Rule.OPERATOR,
                () -> credit(u + "/credits/grants", "{\"amount\": 5}")));
        cases.add(new Case("POST", users + "/credits/refunds", Rule.OPERATOR, () -> credit(u + "/credits/refunds",
                "{\"usage_transaction_id\": \"" + spend(admin, "acme", 1, "export") + "\", \"amount\": 1}")));
        cases.add(new Case("POST", users + "/credits/adjustments", Rule.OPERATOR,
                () -> credit(u + "/credits/adjustments", "{\"amount\": 5, \"reason\": \"goodwill\"}")));
        // The user's own data and consumption (R62).
        cases.add(new Case("GET", "/v1/plans/{plan_id}", Rule.OWN_USER, () -> get("/v1/plans/pro")));
        cases.add(new Case("POST", users + "/usage", Rule.OWN_USER, () -> body(u + "/usage",
                "{\"records\": [{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"" + key() + "\"}]}")));
        cases.add(new Case("GET", users + "/usage", Rule.OWN_USER, () -> get(u + "/usage")));
        cases.add(new Case("GET", users + "/usage/series", Rule.OWN_USER,
                () -> get(u + "/usage/series?metric=exports&granularity=hour")));
        cases.add(new Case("POST", users + "/sessions", Rule.OWN_USER, () -> body(u + "/sessions", "{\"title\": \"t\"}")));
        cases.add(new Case("POST", users + "/sessions/{session_id}/complete", Rule.OWN_USER,
                () -> body(u + "/sessions/" + newSession() + "/complete", "{\"duration_seconds\": 60}")));
        cases.add(new Case("GET", users + "/sessions/{session_id}", Rule.OWN_USER,
                () -> get(u + "/sessions/" + sessionId)));
        String runs = users + "/report-runs";
        cases.add(new Case("POST", runs, Rule.OWN_USER, () -> body(u + "/report-runs", "{}")));
        cases.add(new Case("POST", runs + "/{run_id}/complete", Rule.OWN_USER,
                () -> body(u + "/report-runs/" + newRun() + "/complete", "{\"status\": \"succeeded\","
                        + " \"tokens_input\": 10, \"tokens_output\": 5, \"model\": \"m\", \"commits_processed\": 1}")));
        cases.add(new Case("POST", runs + "/{run_id}/webhook-deliveries", Rule.OWN_USER,
                () -> body(u + "/report-runs/" + runId + "/webhook-deliveries", "{\"delivered\": true}")));
        cases.add(new Case("GET", runs, Rule.OWN_USER, () -> get(u + "/report-runs")));
        cases.add(new Case("GET", runs + "/usage", Rule.OWN_USER, () -> get(u + "/report-runs/usage")));
        cases.add(new Case("GET", runs + "/{run_id}", Rule.OWN_USER, () -> get(u + "/report-runs/" + runId)));
        cases.add(new Case("POST", users + "/credits/usage", Rule.OWN_USER,
                () -> credit(u + "/credits/usage", "{\"amount\": 1, \"operation\": \"export\"}")));
        for (String read : List.of("balance", "usage-by-operation", "transactions", "grants")) {
            cases.add(new Case("GET", users + "/credits/" + read, Rule.OWN_USER, () -> get(u + "/credits/" + read)));
        }
        cases.add(new Case("POST", users + "/api-calls", Rule.OWN_USER,
                () -> body(u + "/api-calls", "{\"call_type\": \"llm\", \"cost_usd\": 0.01}")));
        cases.add(new Case("GET", users + "/costs", Rule.OWN_USER, () -> get(u + "/costs")));
        // Issuing a code is consumption, counted against the plan's activation_codes limit (R45),
        // like any other metered write; it creates no money. Redeeming counts a redemption of the
        // user's own code; another user's code is the 404 of a missing one.
        cases.add(new Case("POST", users + "/activation-codes", Rule.OWN_USER,
                () -> body(u + "/activation-codes", "{}")));
        cases.add(new Case("POST", "/v1/activation-codes/{code}/redeem", Rule.OWN_USER,
                () -> new Request("/v1/activation-codes/" + newCode() + "/redeem", null, Map.of())));
        cases.add(new Case("GET", users + "/billing", Rule.OWN_USER, () -> get(u + "/billing")));
        // Meters (R81, R83): the operator defines them; any key reads the definitions, a user its values.
        cases.add(new Case("PUT", "/v1/meters/{key}", Rule.OPERATOR, () -> body("/v1/meters/seen_users", METER)));
        cases.add(new Case("GET", "/v1/meters", Rule.ANY_KEY, () -> get("/v1/meters")));
        cases.add(new Case("GET", "/v1/meters/{key}", Rule.ANY_KEY, () -> get("/v1/meters/seen_users")));
        cases.add(new Case("GET", users + "/meters/{key}", Rule.OWN_USER, () -> get(u + "/meters/seen_users")));
        // Entitlement checks read the user's own figures (R62, R70).
        cases.add(new Case("GET", users + "/entitlements", Rule.OWN_USER, () -> get(u + "/entitlements")));
        cases.add(new Case("GET", users + "/entitlements/{metric}", Rule.OWN_USER,
                () -> get(u + "/entitlements/runs?quantity=2")));
        // Allocations: a user changes its own (consumption, checked against the plan, R62, R72); the
        // operator sets one outright, for imports.
        cases.add(new Case("GET", users + "/allocations", Rule.OWN_USER, () -> get(u + "/allocations")));
        cases.add(new Case("POST", users + "/allocations/{metric}", Rule.OWN_USER,
                () -> body(u + "/allocations/seats", "{\"delta\": 1}")));
        cases.add(new Case("PUT", users + "/allocations/{metric}", Rule.OPERATOR,
                () -> body(u + "/allocations/seats", "{\"value\": 2}")));
        // Overrides and booked plan changes are terms (R62, R73): the operator's alone.
        cases.add(new Case("PUT", users + "/overrides", Rule.OPERATOR,
                () -> body(u + "/overrides", "{\"features\": {\"sso\": true}}")));
        cases.add(new Case("GET", users + "/overrides", Rule.OPERATOR, () -> {
            tally.overrides().put(new UserId("acme"), PlanOverride.none());
            return get(u + "/overrides");
        }));
        cases.add(new Case("DELETE", users + "/overrides", Rule.OPERATOR, () -> {
            tally.overrides().put(new UserId("acme"), PlanOverride.none());
            return new Request(u + "/overrides", null, Map.of());
        }));
        cases.add(new Case("DELETE", users + "/plan/pending", Rule.OPERATOR, () -> {
            tally.users().schedulePlanChange(new UserId("acme"), new dev.tally.domain.plan.PlanId("pro"),
                    java.util.Optional.empty(), java.util.Optional.empty());
            return new Request(u + "/plan/pending", null, Map.of());
        }));
        // Reservations are consumption (R62, R71): the user's own holds; another user's are a 404.
        String holds = users + "/reservations";
        cases.add(new Case("POST", holds, Rule.OWN_USER,
                () -> body(u + "/reservations", "{\"metric\": \"runs\", \"quantity\": 1}")));
        cases.add(new Case("POST", holds + "/{reservation_id}/commit", Rule.OWN_USER,
                () -> body(u + "/reservations/" + newHold() + "/commit", "{\"quantity\": 1}")));
        cases.add(new Case("POST", holds + "/{reservation_id}/release", Rule.OWN_USER,
                () -> new Request(u + "/reservations/" + newHold() + "/release", null, Map.of())));
        cases.add(new Case("GET", "/v1/events", Rule.OWN_USER, () -> get("/v1/events?user_id=acme")));
        cases.add(new Case("PUT", "/v1/webhook-endpoints/{id}", Rule.OPERATOR, () -> new Request(
                "/v1/webhook-endpoints/hook-" + key(), ENDPOINT, Map.of())));
        cases.add(new Case("GET", "/v1/webhook-endpoints", Rule.OPERATOR, () -> get("/v1/webhook-endpoints")));
        cases.add(new Case("GET", "/v1/audit-log", Rule.OPERATOR, () -> get("/v1/audit-log?target=user:acme")));
        cases.add(new Case("POST", users + "/usage/{record_id}/void", Rule.OPERATOR, () -> body(
                u + "/usage/" + newRecord() + "/void", "{\"reason\": \"entered twice\"}")));
        String range = "?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z";
        cases.add(new Case("GET", users + "/usage/export", Rule.OWN_USER, () -> get(u + "/usage/export" + range)));
        cases.add(new Case("GET", "/v1/usage/export", Rule.OPERATOR, () -> get("/v1/usage/export" + range)));
        cases.add(new Case("DELETE", "/v1/webhook-endpoints/{id}", Rule.OPERATOR,
                () -> new Request("/v1/webhook-endpoints/" + newEndpoint(), null, Map.of())));
        cases.add(new Case("GET", "/v1/webhook-endpoints/{id}/deliveries", Rule.OPERATOR,
                () -> get("/v1/webhook-endpoints/" + newEndpoint() + "/deliveries")));
        cases.add(new Case("POST", "/v1/events/{id}/redeliver", Rule.OPERATOR,
                () -> new Request("/v1/events/" + eventId + "/redeliver", null, Map.of())));
        return cases;
    }

    @Test
    void R62_a_user_key_cannot_mint_credits_and_its_attempts_change_nothing() {
        String usage = spend(acme, "acme", 10, "export");
        JsonNode ledger = acme.get("/v1/users/acme/credits/transactions?limit=100").json();
        List<ApiClient.Response> attempts = List.of(
                acme.post("/v1/users/acme/credits/purchases", "{\"amount\": 1000000}", key()),
                acme.post("/v1/users/acme/credits/grants", "{\"amount\": 1000000}", key()),
                acme.post("/v1/users/acme/credits/adjustments", "{\"amount\": 1000000, \"reason\": \"mine\"}", key()),
                acme.post("/v1/users/acme/credits/refunds",
                        "{\"usage_transaction_id\": \"" + usage + "\", \"amount\": 10}", key()));

        assertThat(attempts).allSatisfy(response -> {
            assertThat(response.status()).as(response.toString()).isEqualTo(403);
            assertThat(response.error()).isEqualTo("forbidden");
        });
        assertThat(balance(acme, "acme")).isEqualTo(990);
        assertThat(acme.get("/v1/users/acme/credits/transactions?limit=100").json()).isEqualTo(ledger);
    }

    @Test
    void R62_a_user_key_reads_its_own_plan_and_no_other() {
        ApiClient.Response own = acme.get("/v1/plans/pro");
        ApiClient.Response other = acme.get("/v1/plans/basic");
        ApiClient.Response missing = acme.get("/v1/plans/ghost");

        assertThat(own.json().get("id").asText()).isEqualTo("pro");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.text().replace("basic", "ghost")).isEqualTo(missing.text());
    }

    // --- keys listed and revoked (R63) ---------------------------------------------------------

    @Test
    void R63_keys_are_listed_with_id_prefix_and_times_and_never_their_plaintext() {
        clock.advance(Duration.ofSeconds(1)); // listed oldest first, after the key acme was created with
        JsonNode created = assertOk(admin.post("/v1/users/acme/api-keys", null)).json();
        String plaintext = created.get("key").asText();

        JsonNode keys = assertOk(admin.get("/v1/api-keys?user_id=acme")).json().get("keys");

        assertThat(keys).hasSize(2);
        JsonNode listed = keys.get(1);
        List<String> fields = new ArrayList<>();
        listed.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "user_id", "prefix", "created_at", "last_used_at", "revoked_at");
        assertThat(listed.get("id").asText()).isEqualTo(created.get("id").asText());
        assertThat(listed.get("user_id").asText()).isEqualTo("acme");
        assertThat(listed.get("prefix").asText()).isEqualTo(created.get("prefix").asText());
        assertThat(plaintext).startsWith(listed.get("prefix").asText());
        assertThat(listed.get("created_at").asText()).isEqualTo(START.plusSeconds(1).toString())
                .isEqualTo(created.get("created_at").asText());
        assertThat(listed.get("last_used_at").isNull()).isTrue();
        assertThat(listed.get("revoked_at").isNull()).isTrue();
        String everything = admin.get("/v1/api-keys").text();
        assertThat(everything).doesNotContain(plaintext).doesNotContain(plaintext.substring(12));
        JsonNode all = admin.get("/v1/api-keys").json().get("keys");
        assertThat(all).anySatisfy(key -> assertThat(key.get("user_id").isNull()).as("the admin key").isTrue());
        assertThat(all).anySatisfy(key -> assertThat(key.get("user_id").asText()).isEqualTo("bob"));
        assertThat(admin.get("/v1/api-keys?user_id=ghost").error()).isEqualTo("user_not_found");
    }

    @Test
    void R63_last_use_is_shown_and_written_at_most_once_a_minute() {
        assertOk(acme.get("/v1/users/acme/usage"));
        clock.advance(Duration.ofSeconds(30));
        assertOk(acme.get("/v1/users/acme/usage"));
        assertThat(acmeKey().get("last_used_at").asText()).isEqualTo(START.toString());

        clock.advance(Duration.ofSeconds(31));
        assertOk(acme.get("/v1/users/acme/usage"));
        assertThat(acmeKey().get("last_used_at").asText()).isEqualTo(START.plusSeconds(61).toString());
    }

    @Test
    void R63_a_revoked_key_is_401_at_once_on_every_node_and_revoking_again_is_the_same_answer() {
        Tally otherNode = Tally.create(tally.storage(), clock, Tally.Settings.DEFAULTS);
        try (TallyServer second = TallyServer.start(otherNode, ServerSettings.onPort(0))) {
            ApiClient acmeOnSecond = new ApiClient(second.port(), acme.key());
            assertOk(acmeOnSecond.get("/v1/users/acme/usage"));
            String id = acmeKey().get("id").asText();
            clock.advance(Duration.ofSeconds(5));

            JsonNode revoked = assertOk(admin.send("DELETE", "/v1/api-keys/" + id, null, Map.of())).json();
            clock.advance(Duration.ofSeconds(5));
            ApiClient.Response again = admin.send("DELETE", "/v1/api-keys/" + id, null, Map.of());

            assertThat(revoked.get("revoked_at").asText()).isEqualTo(START.plusSeconds(5).toString());
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json()).isEqualTo(revoked);
            for (ApiClient client : List.of(acme, acmeOnSecond)) {
                ApiClient.Response refused = client.get("/v1/users/acme/usage");
                assertThat(refused.status()).isEqualTo(401);
                assertThat(refused.error()).isEqualTo("unauthorized");
            }
            assertOk(bob.get("/v1/users/bob/usage"));
        }
        ApiClient.Response unknown = admin.send("DELETE", "/v1/api-keys/key_nope", null, Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("api_key_not_found");
    }

    // --- helpers ------------------------------------------------------------------------------

    private JsonNode acmeKey() {
        return assertOk(admin.get("/v1/api-keys?user_id=acme")).json().get("keys").get(0);
    }

    private static Request get(String path) {
        return new Request(path, null, Map.of());
    }

    private static Request body(String path, String json) {
        return new Request(path, json, Map.of());
    }

    private static Request credit(String path, String json) {
        return new Request(path, json, Map.of("Idempotency-Key", key()));
    }

    /** A fresh usage record of acme's, for a void to take back. */
    private String newRecord() {
        return assertOk(admin.post("/v1/users/acme/usage", "{\"records\": [{\"metric\": \"exports\", "
                + "\"quantity\": 1, \"idempotency_key\": \"" + key() + "\"}]}")).json().get("records").get(0).get("id")
                .asText();
    }

    private String newSession() {
        return assertOk(admin.post("/v1/users/acme/sessions", "{\"title\": \"s\"}")).json().get("id").asText();
    }

    private String newRun() {
        return assertOk(admin.post("/v1/users/acme/report-runs", "{}")).json().get("id").asText();
    }

    /** A fresh hold of one run by acme, for a commit or release to end. */
    private String newHold() {
        return assertOk(admin.post("/v1/users/acme/reservations", "{\"metric\": \"runs\", \"quantity\": 1}")).json()
                .get("id").asText();
    }

    private String newCode() {
        return assertOk(admin.post("/v1/users/acme/activation-codes", "{}")).json().get("code").asText();
    }
}
