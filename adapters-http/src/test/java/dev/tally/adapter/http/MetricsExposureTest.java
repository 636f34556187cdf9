package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} is the operator's (R68): it takes the admin key or the metrics token, tells
 * anyone else nothing, and no value a client chooses becomes a label, so its size stays bounded
 * whatever clients send.
 */
class MetricsExposureTest extends ApiTestSupport {

    private static final String TOKEN = "metrics-token-0123456789";

    @Override
    protected ServerSettings serverSettings() {
        return super.serverSettings().withMetricsToken(Optional.of(TOKEN));
    }

    @Test
    void R68_metrics_takes_the_admin_key_or_the_metrics_token_and_tells_anyone_else_nothing() {
        plan("free", "{}");
        ApiClient acme = user("acme", "free");

        for (ApiClient stranger : new ApiClient[] {admin.withKey(null), admin.withKey("tly_guess"),
                admin.withKey(TOKEN + "x")}) {
            ApiClient.Response refused = stranger.get("/metrics");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
            assertThat(refused.error()).isEqualTo("unauthorized");
            assertThat(refused.text()).doesNotContain("tally_").doesNotContain("acme");
        }
        ApiClient.Response userKey = acme.get("/metrics");
        assertThat(userKey.status()).as(userKey.toString()).isEqualTo(403);
        assertThat(userKey.text()).doesNotContain("tally_");

        for (ApiClient operator : new ApiClient[] {admin, admin.withKey(TOKEN)}) {
            ApiClient.Response metrics = operator.get("/metrics");
            assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
            assertThat(metrics.text()).contains("tally_http_server_requests_seconds_count");
        }
    }

    @Test
    void R68_no_value_a_client_chooses_multiplies_the_series() {
        plan("pro", "{\"capped\": 0}");
        traffic("a", 3);
        series(); // the scrape itself is a series of its own from the next one on
        int series = series();

        traffic("b", 60);

        assertThat(series()).as("series after 60 more distinct metrics, call types, users, paths and methods")
                .isEqualTo(series);
        assertThat(admin.get("/metrics").text()).doesNotContain("b_59").doesNotContain("B59");
    }

    /**
     * {@code n} of each value a client names: users with their own keys, metrics (granted and, on a
     * plan that caps one, denied), call types, paths that match no route and made-up methods.
     */
    private void traffic(String round, int n) {
        for (int i = 0; i < n; i++) {
            String user = "u_" + round + "_" + i;
            ApiClient client = user(user, "pro");
            String base = "/v1/users/" + user;
            assertOk(client.post(base + "/usage", "{\"enforce\": true, \"records\": [{\"metric\": \"m_" + round + "_" + i
                    + "\", \"quantity\": 1, \"idempotency_key\": \"" + key() + "\"}]}"));
            assertThat(client.post(base + "/usage", "{\"enforce\": true, \"records\": [{\"metric\": \"capped\","
                    + " \"quantity\": 1, \"idempotency_key\": \"" + key() + "\"}]}").status()).isEqualTo(403);
            assertOk(client.post(base + "/api-calls", "{\"call_type\": \"c_" + round + "_" + i
                    + "\", \"provider\": \"p_" + round + "_" + i + "\", \"cost_usd\": 0.01}"));
            assertThat(client.get("/v1/no/" + round + "/" + i).status()).isEqualTo(404);
            assertThat(client.send(round.toUpperCase() + i, "/v1/health", null, Map.of()).status())
                    .isBetween(400, 499);
        }
    }

    private int series() {
        return (int) admin.get("/metrics").text().lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .count();
    }
}
