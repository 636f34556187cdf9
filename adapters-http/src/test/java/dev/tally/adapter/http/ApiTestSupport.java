package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.application.ManualClock;
import dev.tally.application.Tally;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Starts the real server on port 0 over fresh storage and a clock the test controls, with an
 * admin key. Subclasses choose the storage, so the same end-to-end tests run in memory, on H2
 * and on PostgreSQL.
 */
public abstract class ApiTestSupport {

    /** The clock starts mid-October 2026, so a user created now is in the period that ends on Nov 1. */
    protected static final Instant START = Instant.parse("2026-10-15T12:00:00Z");

    private static final AtomicInteger KEYS = new AtomicInteger();

    protected ManualClock clock;
    protected Tally tally;
    protected TallyServer server;
    protected ApiClient admin;
    protected String adminKey;

    private StorageFixture storage;

    /** Where a test's data lives; in memory unless a subclass says otherwise. */
    protected StorageFixture storage() {
        return StorageFixture.inMemory();
    }

    /**
     * How the test's server runs: the defaults on any free port, without rate limits unless a
     * subclass says otherwise: the test's clock stands still, so a spent allowance would never refill.
     */
    protected ServerSettings serverSettings() {
        return ServerSettings.onPort(0).withRates(RateLimits.NONE);
    }

    /** The settings of the test's Tally. */
    protected Tally.Settings settings() {
        return Tally.Settings.DEFAULTS;
    }

    @BeforeEach
    void startServer() {
        clock = new ManualClock(START);
        storage = storage();
        tally = Tally.create(storage.open(), clock, settings());
        adminKey = tally.access().createAdminKey();
        server = TallyServer.start(tally, serverSettings());
        admin = new ApiClient(server.port(), adminKey);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    /** Creates or replaces a plan with these limits, e.g. {@code {"runs": 50}}. */
    protected void plan(String id, String limits) {
        assertOk(admin.put("/v1/plans/" + id, "{\"name\": \"" + id + "\", \"limits\": " + limits + "}"));
    }

    /** Creates a user on {@code plan} and returns a client holding the user's own key. */
    protected ApiClient user(String id, String plan) {
        assertOk(admin.put("/v1/users/" + id, "{\"plan_id\": \"" + plan + "\"}"));
        ApiClient.Response key = admin.post("/v1/users/" + id + "/api-keys", null);
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        return admin.withKey(key.json().get("key").asText());
    }

    /** A fresh idempotency key. */
    protected static String key() {
        return "k-" + KEYS.incrementAndGet();
    }

    /** The figures of one metric in a usage or billing answer. */
    protected static JsonNode metric(JsonNode body, String metric) {
        for (JsonNode m : body.get("metrics")) {
            if (m.get("metric").asText().equals(metric)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + metric + " in " + body);
    }

    protected static ApiClient.Response assertOk(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 299);
        return response;
    }

    /**
     * A denial by the plan's limit on {@code metric} (R12): 403 with exactly the fields R12 names,
     * in order, and the error {@code <metric>_limit_exceeded}. Returns the body for the figures a
     * test checks as well. Public for the end-to-end tests of other modules.
     */
    public static JsonNode assertLimitExceeded(ApiClient.Response response, String metric) {
        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        JsonNode body = response.json();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("error", "message", "metric", "plan", "current_usage", "limit",
                "requested", "resets_at");
        assertThat(body.get("error").asText()).isEqualTo(metric + "_limit_exceeded");
        assertThat(body.get("metric").asText()).isEqualTo(metric);
        return body;
    }

    /** Starts a run and ends it as {@code status}. */
    protected static void run(ApiClient client, String user, String status) {
        String id = assertOk(client.post("/v1/users/" + user + "/report-runs", "{}")).json().get("id").asText();
        assertOk(client.post("/v1/users/" + user + "/report-runs/" + id + "/complete",
                "{\"status\": \"" + status + "\", \"tokens_input\": 1000, \"tokens_output\": 500,"
                        + " \"model\": \"gpt-4o-mini\", \"commits_processed\": 3}"));
    }

    /** Spends {@code amount} credits on {@code operation} and returns the usage entry's id. */
    protected static String spend(ApiClient client, String user, long amount, String operation) {
        return assertOk(client.post("/v1/users/" + user + "/credits/usage",
                "{\"amount\": " + amount + ", \"operation\": \"" + operation + "\"}", key())).json().get("id").asText();
    }

    protected static void refund(ApiClient client, String user, String usageId, long amount) {
        assertOk(client.post("/v1/users/" + user + "/credits/refunds",
                "{\"usage_transaction_id\": \"" + usageId + "\", \"amount\": " + amount + "}", key()));
    }

    protected static void purchase(ApiClient client, String user, long amount) {
        assertOk(client.post("/v1/users/" + user + "/credits/purchases", "{\"amount\": " + amount + "}", key()));
    }

    protected static long balance(ApiClient client, String user) {
        return assertOk(client.get("/v1/users/" + user + "/credits/balance")).json().get("balance").asLong();
    }
}
