package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.application.port.ApiKey;
import dev.tally.application.port.ApiKeyRepository;
import dev.tally.application.port.TallyStorage;
import dev.tally.domain.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one API key, and one address without a valid key, may send (R67): small rates here so that
 * a handful of requests reach them; the clock is the test's, so a second passes when it says.
 */
class ClientRateTest extends ApiTestSupport {

    private static final int KEY_RATE = 5;
    private static final int RECORD_RATE = 1000;
    private static final int ADMIN_RATE = 0;
    private static final int ADDRESS_RATE = 10;

    /** How many times the server looked a presented key up in storage. */
    private final AtomicInteger lookUps = new AtomicInteger();

    private ApiClient acme;
    private ApiClient globex;

    @Override
    protected ServerSettings serverSettings() {
        return ServerSettings.onPort(0).withRates(new RateLimits(KEY_RATE, RECORD_RATE, ADMIN_RATE, 0, ADDRESS_RATE));
    }

    @Override
    protected StorageFixture storage() {
        return StorageFixture.inMemoryWith(memory -> new TallyStorage(memory.transactions(), memory.usage(),
                memory.idempotency(), memory.plans(), memory.users(), memory.modelPrices(), memory.runs(),
                memory.credits(), memory.apiCalls(), memory.activationCodes(), memory.sessions(),
                counting(memory.apiKeys()), memory.allocations(), memory.events(), memory.webhooks(),
                memory.audit(), memory.planTerms(), memory.rates()));
    }

    @BeforeEach
    void twoUsers() {
        plan("pro", "{\"exports\": 100000}");
        acme = user("acme", "pro");
        globex = user("globex", "pro");
    }

    @Test
    void R67_a_user_key_past_its_request_rate_is_429_with_retry_after_and_its_allowance_in_headers() {
        for (int i = 1; i <= KEY_RATE; i++) {
            ApiClient.Response ok = assertOk(acme.get("/v1/users/acme/usage"));
            assertThat(ok.header("RateLimit-Limit")).isEqualTo(Integer.toString(KEY_RATE));
            assertThat(ok.header("RateLimit-Remaining")).as("request " + i).isEqualTo(Integer.toString(KEY_RATE - i));
            assertThat(ok.header("RateLimit-Reset")).isEqualTo("1");
        }

        int lookedUp = lookUps.get();
        ApiClient.Response limited = acme.get("/v1/users/acme/usage");

        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(lookUps.get()).as("a known key past its rate is refused before it is looked up").isEqualTo(lookedUp);
        assertThat(limited.error()).isEqualTo("rate_limited");
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(limited.header("RateLimit-Limit")).isEqualTo(Integer.toString(KEY_RATE));
        assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.header("RateLimit-Reset")).isEqualTo("1");
        JsonNode body = limited.json();
        assertThat(body.get("rate").asText()).isEqualTo("key_requests");
        assertThat(body.get("limit").asInt()).isEqualTo(KEY_RATE);
        assertThat(body.get("per_seconds").asInt()).isEqualTo(1);
        assertThat(body.get("retry_after_ms").asLong()).isBetween(1L, 1000L);
        assertThat(limited.text().length()).as("an error body stays small (R64)").isLessThan(1024);
        assertThat(limited.header("X-Content-Type-Options")).as("R68 holds for a refusal too").isEqualTo("nosniff");

        assertOk(globex.get("/v1/users/globex/usage"));
        clock.advance(Duration.ofSeconds(1));
        assertOk(acme.get("/v1/users/acme/usage"));
        JsonNode health = assertOk(admin.withKey(null).get("/v1/health")).json();
        assertThat(health.get("status").asText()).as("a rate refusal is the client's error (R51)").isEqualTo("healthy");
    }

    @Test
    void R67_each_record_of_a_batch_counts_against_the_key_record_rate_and_a_refused_batch_records_nothing() {
        assertOk(acme.post("/v1/users/acme/usage", batch(600)));

        ApiClient.Response limited = acme.post("/v1/users/acme/usage", batch(600));

        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.json().get("rate").asText()).isEqualTo("key_records");
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(limited.header("RateLimit-Limit")).isEqualTo(Integer.toString(RECORD_RATE));
        assertThat(limited.header("RateLimit-Remaining")).isEqualTo("400");
        assertThat(metric(assertOk(acme.get("/v1/users/acme/usage")).json(), "exports").get("used").asInt())
                .isEqualTo(600);
        assertOk(acme.post("/v1/users/acme/usage", batch(400)));
        int lookedUp = lookUps.get();
        ApiClient.Response unread = acme.post("/v1/users/acme/usage", "{\"records\": [not even JSON");
        assertThat(lookUps.get()).as("nor is its key looked up").isEqualTo(lookedUp);
        assertThat(unread.status()).as("a key with no record left is refused before its body is read: " + unread)
                .isEqualTo(429);
        assertThat(unread.header("RateLimit-Remaining")).isEqualTo("0");

        clock.advance(Duration.ofSeconds(1));
        assertOk(acme.post("/v1/users/acme/usage", batch(600)));
        assertThat(metric(assertOk(acme.get("/v1/users/acme/usage")).json(), "exports").get("used").asInt())
                .isEqualTo(1600);
    }

    @Test
    void R67_an_admin_key_has_no_rate_unless_one_is_set() {
        for (int i = 0; i < 4 * KEY_RATE; i++) {
            ApiClient.Response ok = assertOk(admin.get("/v1/users/acme/usage"));
            assertThat(ok.header("RateLimit-Limit")).isNull();
        }

        try (TallyServer bounded = TallyServer.start(tally, ServerSettings.onPort(0)
                .withRates(new RateLimits(KEY_RATE, RECORD_RATE, 3, 0, ADDRESS_RATE)))) {
            ApiClient boundedAdmin = new ApiClient(bounded.port(), adminKey);
            for (int i = 0; i < 3; i++) {
                assertOk(boundedAdmin.get("/v1/users/acme/usage"));
            }
            assertThat(boundedAdmin.get("/v1/users/acme/usage").status()).isEqualTo(429);
        }
    }

    @Test
    void R67_unknown_keys_cost_at_most_their_address_rate_in_look_ups_and_never_spend_a_real_keys_allowance() {
        assertOk(acme.get("/v1/users/acme/usage"));
        int before = lookUps.get();

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            statuses.add(acme.withKey("tly_guess" + i).get("/v1/users/acme/usage").status());
        }

        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses.stream().filter(s -> s == 401).count()).as(statuses.toString()).isLessThanOrEqualTo(ADDRESS_RATE);
        assertThat(lookUps.get() - before).as("look-ups of the 100 unknown keys").isLessThanOrEqualTo(ADDRESS_RATE);
        ApiClient.Response real = assertOk(acme.get("/v1/users/acme/usage"));
        assertThat(real.header("RateLimit-Remaining")).as("only acme's own two requests spent its allowance")
                .isEqualTo(Integer.toString(KEY_RATE - 2));
        ApiClient.Response anonymous = admin.withKey(null).get("/v1/health");
        assertThat(anonymous.status()).as("the address, not the key, is out of requests").isEqualTo(429);

        clock.advance(Duration.ofSeconds(1));
        assertThat(acme.withKey("tly_guess-again").get("/v1/users/acme/usage").status()).isEqualTo(401);
    }

    @Test
    void R67_a_revoked_key_counts_as_no_key_from_then_on() {
        ApiClient.Response created = assertOk(admin.post("/v1/users/acme/api-keys", null));
        ApiClient second = admin.withKey(created.json().get("key").asText());
        assertOk(second.get("/v1/users/acme/usage"));
        assertOk(admin.send("DELETE", "/v1/api-keys/" + created.json().get("id").asText(), null, java.util.Map.of()));

        List<Integer> statuses = IntStream.range(0, 3 * ADDRESS_RATE)
                .mapToObj(i -> second.get("/v1/users/acme/usage").status()).collect(Collectors.toList());

        assertThat(statuses.get(0)).isEqualTo(401);
        assertThat(statuses.stream().filter(s -> s == 401).count()).as(statuses.toString())
                .as("looked up only while its address has requests left").isLessThanOrEqualTo(ADDRESS_RATE);
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo(429);
    }

    private static String batch(int records) {
        return "{\"records\": [" + IntStream.range(0, records)
                .mapToObj(i -> "{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"" + key() + "\"}")
                .collect(Collectors.joining(", ")) + "]}";
    }

    private ApiKeyRepository counting(ApiKeyRepository keys) {
        return new ApiKeyRepository() {
            @Override
            public void insert(ApiKey key) {
                keys.insert(key);
            }

            @Override
            public Optional<ApiKey> findByHash(String sha256Hex) {
                lookUps.incrementAndGet();
                return keys.findByHash(sha256Hex);
            }

            @Override
            public List<ApiKey> list(Optional<UserId> user) {
                return keys.list(user);
            }

            @Override
            public Optional<ApiKey> revoke(String id, Instant at) {
                return keys.revoke(id, at);
            }

            @Override
            public void touch(String id, Instant at, Instant staleBefore) {
                keys.touch(id, at, staleBefore);
            }

            @Override
            public boolean anyAdmin() {
                return keys.anyAdmin();
            }
        };
    }
}
