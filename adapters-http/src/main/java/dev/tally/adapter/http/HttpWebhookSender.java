package dev.tally.adapter.http;

import dev.tally.application.port.WebhookSender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Posts webhook deliveries with Jetty's {@link HttpClient} (R76, R77): signed, with a
 * {@code Tally-Event-Id}, never following redirects (a redirect is not a 2xx, and could lead past
 * the URL guard), and connecting only to the addresses the guard checked, which each request
 * carries as its tag and the client's resolver hands out (the client resolves no name itself);
 * the {@code Host} header and the TLS server name stay the URL's. The whole attempt, connection,
 * request and answer with its body, ends within the timeout; at most {@link #BODY_CAP} bytes of
 * the body are read and discarded, and the connection is closed on the rest.
 */
public final class HttpWebhookSender implements WebhookSender, AutoCloseable {

    /** How much of an answer's body is read; nobody looks at it, so the rest is not waited for. */
    static final int BODY_CAP = 16 * 1024;
    private static final int MAX_ERROR = 300;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client;
    private final Clock clock;
    private final Duration timeout;

    public HttpWebhookSender(Clock clock) {
        this(clock, TIMEOUT);
    }

    /** A sender whose attempts end within {@code timeout} (tests use a short one). */
    HttpWebhookSender(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("tally-webhook-client");
        threads.setDaemon(true);
        client = new HttpClient();
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler("tally-webhook-client-timer", true));
        client.setSocketAddressResolver(new CheckedAddresses());
        client.setFollowRedirects(false);
        client.setConnectTimeout(Math.min(CONNECT_TIMEOUT.toMillis(), timeout.toMillis()));
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Tally-Webhooks/1"));
        // A destination per checked address set: idle ones go, so a name whose addresses change leaves none behind.
        client.setDestinationIdleTimeout(Duration.ofMinutes(1).toMillis());
        client.getContentDecoderFactories().clear();
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the webhook HTTP client", e);
        }
    }

    /** The addresses a request may connect to: the ones its target's host had when it was checked. */
    private record Pin(List<InetAddress> addresses) {
    }

    /** Hands a connection the addresses pinned on its request, and refuses to resolve anything else. */
    private static final class CheckedAddresses implements SocketAddressResolver {
        @Override
        public void resolve(String host, int port, Map<String, Object> context,
                            Promise<List<InetSocketAddress>> promise) {
            if (context.get(Destination.CONTEXT_KEY) instanceof Destination destination
                    && destination.getOrigin().getTag() instanceof Pin pin) {
                promise.succeeded(pin.addresses().stream().map(address -> new InetSocketAddress(address, port))
                        .toList());
            } else {
                promise.failed(new UnknownHostException(host + ": only checked addresses are connected to"));
            }
        }
    }

    @Override
    public Result send(Target target, String secret, String eventId, String body) {
        long started = System.nanoTime();
        Answer answer = new Answer();
        try {
            client.newRequest(target.url())
                    .method(HttpMethod.POST)
                    .tag(new Pin(target.addresses()))
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .headers(headers -> headers
                            .put("Tally-Event-Id", eventId)
                            .put("Tally-Signature", WebhookSignature.header(secret, clock.instant(), body)))
                    .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8))
                    .send(answer);
            // The client's own timeout ends the exchange; this only guards against a listener never called.
            answer.done.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(started, "interrupted");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return failed(started, describe(e));
        }
        long latency = millisSince(started);
        if (answer.status == 0) {
            return failed(started, describe(answer.failure));
        }
        Optional<String> note = answer.failure == null || answer.capped ? Optional.empty()
                : Optional.of(abbreviate("the answer's body was cut off: " + describe(answer.failure)));
        return new Result(OptionalInt.of(answer.status), latency, note);
    }

    /** Follows one exchange: the status, the body up to the cap, and how it ended. */
    private static final class Answer implements Response.Listener {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile int status;
        private volatile long bodyBytes;
        private volatile boolean capped;
        private volatile Throwable failure;

        @Override
        public void onHeaders(Response response) {
            status = response.getStatus();
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            bodyBytes += content.remaining();
            content.position(content.limit());
            if (bodyBytes > BODY_CAP && !capped) {
                capped = true;
                response.abort(new IllegalStateException("answer body beyond " + BODY_CAP + " bytes"));
            }
        }

        @Override
        public void onComplete(org.eclipse.jetty.client.Result result) {
            failure = result.getFailure();
            done.complete(null);
        }
    }

    private static Result failed(long started, String error) {
        return new Result(OptionalInt.empty(), millisSince(started), Optional.of(abbreviate(error)));
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause == null ? "no answer"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String abbreviate(String error) {
        return error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
    }

    private static long millisSince(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    /** Stops the client and its threads. */
    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // Stopping: nothing is left to deliver through it.
        }
    }
}
