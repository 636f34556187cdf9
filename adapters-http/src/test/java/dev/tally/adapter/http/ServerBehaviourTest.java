package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.application.Tally;
import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.port.PlanRepository;
import dev.tally.application.port.TallyStorage;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What the server does around the use cases: server faults (R12), health (R51), metrics, the
 * OpenAPI document, the page, and a graceful close.
 */
class ServerBehaviourTest extends ApiTestSupport {

    @Test
    void R12_an_unexpected_fault_is_a_500_with_an_error_id_and_no_stack_trace() {
        TallyStorage memory = InMemoryStorage.create();
        PlanRepository broken = new PlanRepository() {
            @Override
            public void save(Plan plan) {
                memory.plans().save(plan);
            }

            @Override
            public Optional<Plan> find(PlanId id) {
                return memory.plans().find(id);
            }

            @Override
            public List<Plan> all() {
                throw new IllegalStateException("disk on fire");
            }
        };
        TallyStorage storage = new TallyStorage(memory.transactions(), memory.usage(), memory.idempotency(), broken,
                memory.users(), memory.modelPrices(), memory.runs(), memory.credits(), memory.apiCalls(),
                memory.activationCodes(), memory.sessions(), memory.apiKeys(), memory.allocations(), memory.events(),
                memory.webhooks(), memory.audit(), memory.planTerms(), memory.rates());
        Tally faulty = Tally.create(storage, clock, Tally.Settings.DEFAULTS);
        String key = faulty.access().createAdminKey();
        try (TallyServer other = TallyServer.start(faulty, ServerSettings.onPort(0))) {
            ApiClient.Response response = new ApiClient(other.port(), key).get("/v1/plans");

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.error()).isEqualTo("internal_error");
            assertThat(response.json().get("error_id").asText()).matches("[0-9a-f-]{36}");
            assertThat(response.text()).doesNotContain("disk on fire").doesNotContain("Exception");
            JsonNode health = new ApiClient(other.port(), null).get("/v1/health").json();
            assertThat(health.get("server_errors").asLong()).isEqualTo(1);
        }
    }

    @Test
    void R51_health_counts_answered_requests_and_quota_denials_are_client_errors() {
        ApiClient acme = oneGrantedOneDenied();
        assertThat(acme.get("/v1/nowhere").status()).isEqualTo(404);

        JsonNode health = assertOk(admin.withKey(null).get("/v1/health")).json();

        List<String> fields = fieldNames(health);
        assertThat(fields).containsExactly("status", "window_seconds", "requests", "client_errors", "server_errors",
                "error_rate");
        assertThat(health.get("status").asText()).isEqualTo("healthy");
        assertThat(health.get("window_seconds").asLong()).isEqualTo(300);
        // plan, user, api key, two usage writes and the 404; this health request is counted after it answers.
        assertThat(health.get("requests").asLong()).isEqualTo(6);
        assertThat(health.get("client_errors").asLong()).isEqualTo(2);
        assertThat(health.get("server_errors").asLong()).isZero();
        assertThat(health.get("error_rate").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void R68_metrics_count_requests_per_route_template_and_limit_decisions_per_outcome() {
        oneGrantedOneDenied();

        ApiClient.Response metrics = admin.get("/metrics");

        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.text())
                .contains("tally_http_server_requests_seconds_count{method=\"POST\",route=\"/v1/users/{user_id}/usage\","
                        + "status=\"200\"} 1")
                .contains("route=\"/v1/users/{user_id}/usage\",status=\"403\"} 1")
                .contains("tally_limit_decisions_total{metric=\"other\",outcome=\"granted\"} 1")
                .contains("tally_limit_decisions_total{metric=\"other\",outcome=\"denied\"} 1")
                .doesNotContain("/v1/users/acme").doesNotContain("exports");
    }

    @Test
    void the_openapi_document_lists_exactly_the_registered_routes() throws Exception {
        JsonNode document = new ObjectMapper().readTree(admin.withKey(null).get("/openapi.json").text());
        assertThat(document.get("openapi").asText()).startsWith("3.");

        Set<String> documented = new HashSet<>();
        Set<String> publicDocumented = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(operation -> {
                String route = operation.getKey().toUpperCase() + " " + path.getKey();
                documented.add(route);
                JsonNode security = operation.getValue().get("security");
                if (security != null && security.isEmpty()) {
                    publicDocumented.add(route);
                }
            });
        }
        Set<String> registered = new HashSet<>();
        Set<String> publicRegistered = new HashSet<>();
        for (RouteTable.Route route : server.routes()) {
            registered.add(route.method() + " " + route.path());
            if (route.access() == RouteTable.Access.PUBLIC) {
                publicRegistered.add(route.method() + " " + route.path());
            }
        }
        assertThat(documented).isEqualTo(registered);
        assertThat(publicDocumented).isEqualTo(publicRegistered)
                .containsExactlyInAnyOrder("GET /", "GET /openapi.json", "GET /v1/health");
    }

    /**
     * What client generators need of the document: servers, and for every registered route an
     * operation id of its own (else they invent method names) and its 4xx responses, each with a
     * body that carries {@code error} and {@code message}. A new route without them fails here by name.
     */
    @Test
    void every_route_has_an_operation_id_and_4xx_responses_with_the_error_body_for_client_generators()
            throws Exception {
        JsonNode document = new ObjectMapper().readTree(admin.withKey(null).get("/openapi.json").text());
        assertThat(document.path("servers")).as("servers").isNotEmpty();

        List<String> problems = new java.util.ArrayList<>();
        Map<String, String> operationIds = new java.util.HashMap<>();
        for (RouteTable.Route route : server.routes()) {
            String label = route.method() + " " + route.path();
            JsonNode operation = document.path("paths").path(route.path())
                    .path(route.method().toLowerCase(java.util.Locale.ROOT));
            String operationId = operation.path("operationId").asText("");
            if (operationId.isEmpty()) {
                problems.add(label + ": no operationId");
            } else if (operationIds.put(operationId, label) != null) {
                problems.add(label + ": operationId " + operationId + " also names " + operationIds.get(operationId));
            }
            List<String> clientErrors = new java.util.ArrayList<>();
            operation.path("responses").fieldNames().forEachRemaining(status -> {
                if (status.startsWith("4")) {
                    clientErrors.add(status);
                }
            });
            if (clientErrors.isEmpty()) {
                problems.add(label + ": no 4xx response");
            }
            for (String status : clientErrors) {
                JsonNode schema = errorSchema(document, operation.path("responses").path(status));
                Set<String> required = new HashSet<>();
                schema.path("required").forEach(field -> required.add(field.asText()));
                if (!required.containsAll(Set.of("error", "message"))) {
                    problems.add(label + ": response " + status + " has no error body (error and message)");
                }
            }
        }
        assertThat(problems).as("operations a generated client cannot use as they are").isEmpty();
    }

    /**
     * Every operation says it may answer 429 (R67) with {@code Retry-After} and the IETF draft's
     * RateLimit headers, and every 2xx and 4xx answer carries the RateLimit headers of the caller's
     * allowance; a new route without them fails here by name.
     */
    @Test
    void R67_every_operation_documents_429_with_retry_after_and_the_ratelimit_headers() throws Exception {
        JsonNode document = new ObjectMapper().readTree(admin.withKey(null).get("/openapi.json").text());

        List<String> problems = new java.util.ArrayList<>();
        for (RouteTable.Route route : server.routes()) {
            String label = route.method() + " " + route.path();
            JsonNode responses = document.path("paths").path(route.path())
                    .path(route.method().toLowerCase(java.util.Locale.ROOT)).path("responses");
            JsonNode limited = resolve(document, responses.path("429"));
            if (limited.isMissingNode()) {
                problems.add(label + ": no 429");
            } else if (!resolve(document, limited.path("headers")).has("Retry-After")) {
                problems.add(label + ": 429 without Retry-After");
            }
            responses.fields().forEachRemaining(response -> {
                if (response.getKey().startsWith("2") || response.getKey().startsWith("4")) {
                    JsonNode headers = resolve(document, response.getValue()).path("headers");
                    for (String header : List.of("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")) {
                        if (!headers.has(header)) {
                            problems.add(label + ": " + response.getKey() + " without " + header);
                        }
                    }
                }
            });
        }
        assertThat(problems).as("operations that do not document their rate limit").isEmpty();
    }

    /** The JSON schema of a response, following {@code $ref}s into the components. */
    private static JsonNode errorSchema(JsonNode document, JsonNode response) {
        JsonNode resolved = resolve(document, response);
        return resolve(document, resolved.path("content").path("application/json").path("schema"));
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        while (node.has("$ref")) {
            node = document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    @Test
    void R62_the_openapi_document_states_who_may_call_each_route_and_admin_routes_answer_403_to_user_keys()
            throws Exception {
        JsonNode paths = new ObjectMapper().readTree(admin.withKey(null).get("/openapi.json").text()).get("paths");

        for (RouteTable.Route route : server.routes()) {
            JsonNode operation = paths.path(route.path()).path(route.method().toLowerCase(java.util.Locale.ROOT));
            String label = route.method() + " " + route.path();
            String expected = switch (route.access()) {
                case PUBLIC -> "public";
                case KEY -> "key";
                case ADMIN -> "admin";
                case METRICS -> "metrics";
            };
            assertThat(operation.path("x-tally-access").asText()).as(label).isEqualTo(expected);
            if (route.access() == RouteTable.Access.ADMIN) {
                assertThat(operation.path("summary").asText()).as(label).endsWith("(admin key)");
                assertThat(operation.path("responses").path("403").path("description").asText()).as(label)
                        .contains("user key on an admin route");
            } else if (route.access() == RouteTable.Access.METRICS) {
                assertThat(operation.path("summary").asText()).as(label).endsWith("(admin key or metrics token)");
                assertThat(operation.path("security")).as(label).isNotEmpty();
                assertThat(operation.path("responses").path("403").path("description").asText()).as(label)
                        .contains("user key");
            } else {
                assertThat(operation.path("summary").asText()).as(label).doesNotContain("admin key");
            }
        }
    }

    @Test
    void R50_the_dashboard_page_is_self_contained_and_reads_the_billing_overview() {
        ApiClient.Response page = admin.withKey(null).get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.text()).contains("/billing").contains("percent").contains("Authorization")
                .doesNotContain("src=\"http").doesNotContain("href=\"http").doesNotContain("@import");
    }

    @Test
    void R12_a_request_jetty_refuses_before_routing_still_gets_a_json_4xx() throws Exception {
        for (String target : List.of("/v1/users/%zz/usage", "/v1/plans/%")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + adminKey + "\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

                assertThat(answer).as(target).startsWith("HTTP/1.1 400");
                assertThat(answer).as(target).containsIgnoringCase("content-type: application/json");
                JsonNode body = new ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
                assertThat(body.path("error").asText()).as(target).isEqualTo("bad_request");
                assertThat(body.path("message").asText()).as(target).isNotBlank();
            }
        }
    }

    @Test
    void close_lets_a_request_in_flight_finish() throws Exception {
        BlockingClock blocking = new BlockingClock();
        Tally slow = Tally.create(InMemoryStorage.create(), blocking, Tally.Settings.DEFAULTS);
        String key = slow.access().createAdminKey();
        slow.plans().put(Plan.of(new PlanId("free"), "Free", new dev.tally.domain.plan.PlanLimits(Map.of())));
        // No webhook dispatcher: it would read the blocking clock before the request does.
        TallyServer other = TallyServer.start(slow, ServerSettings.onPort(0), false);
        int port = other.port();
        ApiClient client = new ApiClient(port, key);

        blocking.arm();
        CompletableFuture<ApiClient.Response> inFlight = CompletableFuture.supplyAsync(() ->
                client.put("/v1/users/acme", "{\"plan_id\": \"free\"}"));
        assertThat(blocking.reached.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(other::close);
        awaitStopping(other);
        blocking.release();

        closing.get(30, TimeUnit.SECONDS);
        ApiClient.Response answer = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().get("id").asText()).isEqualTo("acme");
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                .as("a closed server accepts no connection").isInstanceOf(java.io.IOException.class);
    }

    /** Waits until {@code close()} has begun, while the held request is still in flight. */
    private static void awaitStopping(TallyServer server) throws InterruptedException {
        for (int attempt = 0; attempt < 3000 && !server.stopping(); attempt++) {
            Thread.sleep(5);
        }
        assertThat(server.stopping()).as("close() has begun").isTrue();
    }

    /** A user with a limit of one export, one enforced export granted and a second one denied. */
    private ApiClient oneGrantedOneDenied() {
        plan("tiny", "{\"exports\": 1}");
        ApiClient acme = user("acme", "tiny");
        String batch = "{\"enforce\": true, \"records\": [{\"metric\": \"exports\", \"quantity\": 1,"
                + " \"idempotency_key\": \"%s\"}]}";
        assertOk(acme.post("/v1/users/acme/usage", batch.formatted("a")));
        assertLimitExceeded(acme.post("/v1/users/acme/usage", batch.formatted("b")), "exports");
        return acme;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A clock that, once armed, holds the next caller until released: a request kept in flight. */
    private static final class BlockingClock extends Clock {
        private final AtomicBoolean armed = new AtomicBoolean();
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void arm() {
            armed.set(true);
        }

        void release() {
            released.countDown();
        }

        @Override
        public Instant instant() {
            if (armed.compareAndSet(true, false)) {
                reached.countDown();
                try {
                    released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return START;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
