package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A slow or idle client cannot take capacity from others (R65): 300 clients trickling their
 * bodies leave ordinary requests as fast as before.
 */
class SlowClientTest extends ApiTestSupport {

    private static final int ATTACKERS = 300;
    private static final Duration ORDINARY_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration ATTACK_MEASURED = Duration.ofSeconds(8);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void R65_three_hundred_clients_sending_bodies_at_one_byte_a_second_leave_ordinary_requests_fast()
            throws Exception {
        plan("free", "{}");
        user("acme", "free");
        String userKey = newUserKey("acme");

        List<Long> baseline = ordinaryRequests(userKey, 30, Duration.ofSeconds(30), new AtomicInteger());

        List<Socket> attackers = new ArrayList<>();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < ATTACKERS; i++) {
                // One address each (127.0.1.1, 127.0.1.2, …): a per-address cap alone cannot stop them.
                attackers.add(slowBodySender(distinctLoopback(i), userKey));
            }
            AtomicInteger cut = new AtomicInteger();
            drip.scheduleAtFixedRate(() -> attackers.forEach(socket -> dripOneByte(socket, cut)), 0, 1,
                    TimeUnit.SECONDS);
            Thread.sleep(1500); // every attacker's request is now being read

            AtomicInteger failed = new AtomicInteger();
            List<Long> underAttack = ordinaryRequests(userKey, 30, ATTACK_MEASURED, failed);

            System.out.printf("R65 ordinary requests, baseline: %s; with %d slow clients: %s, %d failed,"
                            + " %d slow clients cut%n", figures(baseline), ATTACKERS, figures(underAttack),
                    failed.get(), cut.get());
            assertThat(failed.get()).as("ordinary requests failed or timed out under the attack").isZero();
            assertThat(underAttack).hasSizeGreaterThanOrEqualTo(30);
            assertThat(percentile(underAttack, 99)).as("p99 ms under the attack").isLessThan(1000);
            assertThat(cut.get()).as("the attackers stayed connected while measured, well within their deadline")
                    .isLessThan(ATTACKERS / 10);
        } finally {
            drip.shutdownNow();
            drip.awaitTermination(5, TimeUnit.SECONDS);
            for (Socket socket : attackers) {
                socket.close();
            }
        }
    }

    /** Rounds of health, a usage read and a usage write; the latency of each in ms, failures counted. */
    private List<Long> ordinaryRequests(String userKey, int rounds, Duration atMost, AtomicInteger failed) {
        List<Long> millis = new ArrayList<>();
        long deadline = System.nanoTime() + atMost.toNanos();
        for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
            String write = "{\"records\": [{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"%s\"}]}"
                    .formatted(key());
            millis.add(timed(request("/v1/health", null, null), failed));
            millis.add(timed(request("/v1/users/acme/usage", userKey, null), failed));
            millis.add(timed(request("/v1/users/acme/usage", userKey, write), failed));
        }
        return millis;
    }

    private HttpRequest request(String path, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(ORDINARY_TIMEOUT);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return request.build();
    }

    private long timed(HttpRequest request, AtomicInteger failed) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                failed.incrementAndGet();
            }
        } catch (IOException e) {
            failed.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** A connection that has sent its headers with a valid key and declares a 100 KB body. */
    private Socket slowBodySender(InetAddress from, String userKey) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        socket.getOutputStream().write(("POST /v1/users/acme/usage HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + userKey + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 102400\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static void dripOneByte(Socket socket, AtomicInteger cut) {
        if (socket.isOutputShutdown()) {
            return;
        }
        try {
            OutputStream out = socket.getOutputStream();
            out.write(' ');
            out.flush();
        } catch (IOException closedByServer) {
            cut.incrementAndGet();
            try {
                socket.shutdownOutput();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    static InetAddress distinctLoopback(int i) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + i / 250), (byte) (1 + i % 250)});
    }

    private String newUserKey(String user) {
        ApiClient.Response key = admin.post("/v1/users/" + user + "/api-keys", null);
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        return key.json().get("key").asText();
    }

    private static String figures(List<Long> millis) {
        return "n=%d p50=%d ms p99=%d ms max=%d ms".formatted(millis.size(), percentile(millis, 50),
                percentile(millis, 99), Collections.max(millis));
    }

    private static long percentile(List<Long> millis, int percent) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}
