package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.application.port.StorageUnavailableException;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.Transactions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * R66 over HTTP: the real server, on storage whose transactions fail as unreachable storage
 * does, answers {@code 503 storage_unavailable} with {@code Retry-After}, never a 500, and
 * answers normally again once storage is back.
 */
class StorageUnavailableTest extends ApiTestSupport {

    private final AtomicBoolean down = new AtomicBoolean();

    @Override
    protected StorageFixture storage() {
        return StorageFixture.inMemoryWith(memory -> {
            Transactions failing = new Transactions() {
                @Override
                public <T> T inTransaction(Supplier<T> work) {
                    if (down.get()) {
                        throw new StorageUnavailableException("the database connection was lost",
                                new IllegalStateException("I/O error, SQLState 08006"));
                    }
                    return memory.transactions().inTransaction(work);
                }

                @Override
                public void afterCommit(Runnable action) {
                    memory.transactions().afterCommit(action);
                }
            };
            return new TallyStorage(failing, memory.usage(), memory.idempotency(), memory.plans(),
                    memory.users(), memory.modelPrices(), memory.runs(), memory.credits(), memory.apiCalls(),
                    memory.activationCodes(), memory.sessions(), memory.apiKeys(), memory.allocations(),
                    memory.events(), memory.webhooks(), memory.audit(), memory.planTerms(), memory.rates());
        });
    }

    @Test
    void R66_storage_down_is_a_503_with_retry_after_and_a_json_body_then_recovers() throws Exception {
        plan("free", "{\"exports\": 10}");
        user("acme", "free");
        String body = "{\"records\": [{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"e1\"}]}";

        down.set(true);
        HttpResponse<String> refused = post("/v1/users/acme/usage", body);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        JsonNode error = new ObjectMapper().readTree(refused.body());
        assertThat(error.get("error").asText()).isEqualTo("storage_unavailable");
        assertThat(error.get("message").asText()).isNotBlank().doesNotContain("08006").doesNotContain("Exception");

        down.set(false);
        HttpResponse<String> retried = post("/v1/users/acme/usage", body);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(metric(admin.get("/v1/users/acme/usage").json(), "exports").get("used").asInt()).isEqualTo(1);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
