package dev.tally.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import com.fasterxml.jackson.databind.JsonNode;
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
        String userKey = acmeKey();

        List<Long> baseline = ordinaryRequests(userKey, 30, Duration.ofSeconds(30), new AtomicInteger());

        List<Socket> attackers = new ArrayList<>();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < ATTACKERS; i++) {
                // One address each (127.0.1.1, 127.0.1.2, …): a per-address cap alone cannot stop them.
                attackers.add(slowBodySender(RawHttp.loopback(1 + i / 250, 1 + i % 250), userKey));
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

    @Test
    void R65_a_client_sending_its_headers_slowly_is_cut_off_at_the_header_deadline() throws Exception {
        ServerSettings settings = ServerSettings.onPort(0).withReadDeadlines(Duration.ofSeconds(1), Duration.ofSeconds(20));
        try (TallyServer guarded = TallyServer.start(tally, settings);
             Socket slowloris = RawHttp.connect(guarded.port(), RawHttp.loopback(0, 1))) {
            RawHttp.send(slowloris, "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n");
            long start = System.nanoTime();
            // One header byte every 200 ms: never idle, never done.
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    RawHttp.send(slowloris, "X");
                    Thread.sleep(200);
                }
            }).as("the server closes the connection").isInstanceOf(IOException.class);
            Duration cut = Duration.ofNanos(System.nanoTime() - start);

            assertThat(cut).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
            assertThat(new ApiClient(guarded.port(), null).get("/v1/health").status()).isEqualTo(200);
        }
    }

    @Test
    void R65_the_deadlines_do_not_count_the_wait_between_requests_on_a_kept_alive_connection()
            throws Exception {
        String userKey = acmeKey();
        ServerSettings settings = ServerSettings.onPort(0).withReadDeadlines(Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (TallyServer guarded = TallyServer.start(tally, settings);
             Socket client = RawHttp.connect(guarded.port(), RawHttp.loopback(0, 1))) {
            for (int request = 0; request < 3; request++) {
                String body = usageWrite();
                RawHttp.send(client, usageHeaders(userKey, body.length()) + body);
                RawHttp.Answer answer = RawHttp.read(client);
                assertThat(answer.status()).as("request %d on one connection: %s", request, answer).isEqualTo(200);
                Thread.sleep(1500);
            }
            RawHttp.send(client, RawHttp.get("/v1/health"));
            assertThat(RawHttp.read(client).status()).as("the same connection, after pauses").isEqualTo(200);
        }
    }

    @Test
    void R65_refused_requests_with_and_without_bodies_share_one_kept_alive_connection()
            throws Exception {
        String body = usageWrite();
        try (Socket client = RawHttp.connect(server.port(), RawHttp.loopback(0, 1))) {
            // Refused before any handler (401): the body is still read, so the next request parses.
            RawHttp.send(client, usageHeaders("tly_no_such_key_at_all", body.length()) + body);
            RawHttp.Answer refused = RawHttp.read(client);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
            assertThat(refused.json().path("error").asText()).isNotBlank();

            // No body at all (no Content-Length, no Transfer-Encoding), refused the same way.
            RawHttp.send(client, "GET /v1/users/acme/usage HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(RawHttp.read(client).status()).isEqualTo(401);

            RawHttp.send(client, RawHttp.get("/v1/health"));
            assertThat(RawHttp.read(client).status()).as("the same connection throughout").isEqualTo(200);
        }
    }

    @Test
    void R65_a_chunked_body_is_read_whole_before_it_is_handled() throws Exception {
        String userKey = acmeKey();
        String body = usageWrite();
        try (Socket client = RawHttp.connect(server.port(), RawHttp.loopback(0, 1))) {
            RawHttp.send(client, usageHeaders(userKey, 0).replace("Content-Length: 0", "Transfer-Encoding: chunked"));
            for (String part : List.of(body.substring(0, 10), body.substring(10))) {
                RawHttp.send(client, Integer.toHexString(part.length()) + "\r\n" + part + "\r\n");
                Thread.sleep(100);
            }
            RawHttp.send(client, "0\r\n\r\n");

            RawHttp.Answer answer = RawHttp.read(client);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().path("accepted").asInt()).isEqualTo(1);
        }
    }

    @Test
    void R65_a_body_that_does_not_arrive_within_the_deadline_is_a_json_408_and_the_connection_is_closed()
            throws Exception {
        String userKey = acmeKey();
        ServerSettings settings = ServerSettings.onPort(0).withReadDeadlines(Duration.ofSeconds(10), Duration.ofSeconds(1));
        try (TallyServer guarded = TallyServer.start(tally, settings);
             Socket slow = RawHttp.connect(guarded.port(), RawHttp.loopback(0, 1))) {
            long start = System.nanoTime();
            RawHttp.send(slow, usageHeaders(userKey, 100) + "{\"records\"");

            RawHttp.Answer answer = RawHttp.read(slow);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(408);
            assertThat(answer.header("Content-Type")).startsWith("application/json");
            assertThat(answer.json().path("error").asText()).isEqualTo("request_timeout");
            assertThat(answer.json().path("message").asText()).isNotBlank();
            assertThat(waited).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
            assertThat(RawHttp.closedByServer(slow)).isTrue();
        }
    }

    @Test
    void R65_connections_beyond_the_cap_per_address_are_refused_while_other_addresses_are_served()
            throws Exception {
        ServerSettings settings = ServerSettings.onPort(0).withConnectionCaps(1000, 3);
        List<Socket> held = new ArrayList<>();
        try (TallyServer guarded = TallyServer.start(tally, settings)) {
            for (int i = 0; i < 3; i++) {
                held.add(servedOnce(guarded, RawHttp.loopback(0, 3)));
            }

            try (Socket fourth = RawHttp.connect(guarded.port(), RawHttp.loopback(0, 3))) {
                RawHttp.send(fourth, RawHttp.get("/v1/health"));
                assertThat(RawHttp.closedByServer(fourth)).as("a fourth connection from 127.0.0.3").isTrue();
            }
            held.add(servedOnce(guarded, RawHttp.loopback(0, 4)));

            held.remove(0).close();
            held.add(eventuallyServed(guarded, RawHttp.loopback(0, 3)));
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void R65_beyond_the_total_cap_new_connections_wait_until_one_closes() throws Exception {
        ServerSettings settings = ServerSettings.onPort(0).withConnectionCaps(3, 0);
        List<Socket> held = new ArrayList<>();
        try (TallyServer guarded = TallyServer.start(tally, settings)) {
            for (int i = 0; i < 3; i++) {
                held.add(servedOnce(guarded, RawHttp.loopback(0, 10 + i)));
            }
            try (Socket waiting = RawHttp.connect(guarded.port(), RawHttp.loopback(0, 20))) {
                RawHttp.send(waiting, RawHttp.get("/v1/health"));
                waiting.setSoTimeout(1000);
                assertThatThrownBy(() -> RawHttp.read(waiting)).as("not accepted while three are open")
                        .isInstanceOf(java.net.SocketTimeoutException.class);

                held.remove(0).close();
                waiting.setSoTimeout(10_000);
                assertThat(RawHttp.read(waiting).status()).isEqualTo(200);
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void R65_bodies_still_arriving_share_a_budget_beyond_which_a_body_is_a_json_503_and_what_they_held_comes_back()
            throws Exception {
        String userKey = acmeKey();
        // Each body alone fits the budget, two at once do not.
        ServerSettings settings = ServerSettings.onPort(0).withReadDeadlines(Duration.ofSeconds(10), Duration.ofSeconds(2))
                .withBodyBudget(64 * 1024);
        try (TallyServer guarded = TallyServer.start(tally, settings)) {
            for (int round = 0; round < 3; round++) {
                try (Socket first = RawHttp.connect(guarded.port(), RawHttp.loopback(0, 1));
                     Socket second = RawHttp.connect(guarded.port(), RawHttp.loopback(0, 2))) {
                    String firstBody = paddedUsage(50_000);
                    String secondBody = paddedUsage(50_000);
                    RawHttp.send(first, usageHeaders(userKey, 50_000) + firstBody.substring(0, 30_000));
                    RawHttp.send(second, usageHeaders(userKey, 50_000) + secondBody.substring(0, 30_000));
                    // Long enough for a loaded server to have taken in both halves, well inside the body deadline.
                    Thread.sleep(600);
                    RawHttp.send(first, firstBody.substring(30_000));
                    RawHttp.send(second, secondBody.substring(30_000));

                    List<RawHttp.Answer> answers = List.of(RawHttp.read(first), RawHttp.read(second));

                    assertThat(answers).as("round %d", round).extracting(RawHttp.Answer::status).contains(503)
                            .allMatch(status -> status == 200 || status == 503);
                    for (RawHttp.Answer busy : answers.stream().filter(a -> a.status() == 503).toList()) {
                        assertThat(busy.json().path("error").asText()).isEqualTo("service_unavailable");
                        assertThat(busy.header("Retry-After")).isEqualTo("1");
                    }
                }
                // A body cut off by its deadline gives back what it held too.
                try (Socket abandoned = RawHttp.connect(guarded.port(), RawHttp.loopback(0, 3))) {
                    RawHttp.send(abandoned, usageHeaders(userKey, 50_000) + paddedUsage(50_000).substring(0, 40_000));
                    assertThat(RawHttp.read(abandoned).status()).isEqualTo(408);
                }
                try (Socket alone = RawHttp.connect(guarded.port(), RawHttp.loopback(0, 4))) {
                    RawHttp.send(alone, usageHeaders(userKey, 50_000) + paddedUsage(50_000));
                    assertThat(RawHttp.read(alone).status()).as("round %d: a body alone, after", round).isEqualTo(200);
                }
            }
        }
    }

    /** A usage write of exactly {@code length} bytes: one record, after leading blanks. */
    private static String paddedUsage(int length) {
        String json = usageWrite();
        return " ".repeat(length - json.length()) + json;
    }

    /** A kept-alive connection from {@code from} that has had one request answered. */
    private static Socket servedOnce(TallyServer server, InetAddress from) throws IOException {
        Socket socket = RawHttp.connect(server.port(), from);
        RawHttp.send(socket, RawHttp.get("/v1/health"));
        JsonNode health = RawHttp.read(socket).json();
        assertThat(health.path("status").asText()).as("served from " + from).isEqualTo("healthy");
        return socket;
    }

    /** As {@link #servedOnce}, once the server has seen an earlier connection from there close. */
    private static Socket eventuallyServed(TallyServer server, InetAddress from) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return servedOnce(server, from);
            } catch (IOException refused) {
                if (attempt == 20) {
                    throw refused;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Rounds of health, a usage read and a usage write; the latency of each in ms, failures counted. */
    private List<Long> ordinaryRequests(String userKey, int rounds, Duration atMost, AtomicInteger failed) {
        List<Long> millis = new ArrayList<>();
        long deadline = System.nanoTime() + atMost.toNanos();
        for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
            String write = usageWrite();
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
        Socket socket = RawHttp.connect(server.port(), from);
        RawHttp.send(socket, usageHeaders(userKey, 102_400));
        return socket;
    }

    private static String usageHeaders(String userKey, int contentLength) {
        return "POST /v1/users/acme/usage HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + userKey
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
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

    /** A user {@code acme} on an unlimited plan, and a key of its own. */
    private String acmeKey() {
        plan("free", "{}");
        user("acme", "free");
        ApiClient.Response key = admin.post("/v1/users/acme/api-keys", null);
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        return key.json().get("key").asText();
    }

    /** One usage record under a fresh idempotency key. */
    private static String usageWrite() {
        return "{\"records\": [{\"metric\": \"exports\", \"quantity\": 1, \"idempotency_key\": \"%s\"}]}"
                .formatted(key());
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
