package dev.tally.adapter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real webhook receiver on loopback, as an operator's would be: the JDK's {@link HttpServer},
 * answering each delivery by the next of its scripted behaviours (a status, a slow answer, a
 * dropped connection), 200 once they run out, and keeping what it was sent.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** What a request carried. */
    public record Received(String eventId, String signature, String contentType, String body, String host) {
    }

    /** How one request is answered. */
    public sealed interface Behaviour permits Status, Slow, Drop, Trickle {
    }

    public record Status(int code) implements Behaviour {
    }

    public record Slow(Duration delay, int code) implements Behaviour {
    }

    /** Closes the connection without an answer. */
    public record Drop() implements Behaviour {
    }

    /** Answers 200 at once, then sends a body of {@code bytes} bytes, one every {@code every}. */
    public record Trickle(int bytes, Duration every) implements Behaviour {
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Behaviour> script = new ConcurrentLinkedQueue<>();

    public WebhookReceiver() throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** A receiver listening on {@code address} (port 0 for any free one). */
    public WebhookReceiver(InetSocketAddress address) throws IOException {
        server = HttpServer.create(address, 0);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers the next requests this way, in order. */
    public WebhookReceiver then(Behaviour... behaviours) {
        script.addAll(List.of(behaviours));
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/hooks/tally";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits up to {@code timeout} for at least {@code count} requests; returns what arrived. */
    public List<Received> await(int count, Duration timeout, Runnable meanwhile) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            meanwhile.run();
            Thread.sleep(20);
        }
        return received();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestHeaders().getFirst("Tally-Event-Id"),
                exchange.getRequestHeaders().getFirst("Tally-Signature"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body,
                exchange.getRequestHeaders().getFirst("Host")));
        Behaviour next = script.poll();
        if (next instanceof Drop) {
            exchange.close();
            return;
        }
        if (next instanceof Trickle trickle) {
            trickle(exchange, trickle);
            return;
        }
        int code = 200;
        if (next instanceof Status status) {
            code = status.code();
        } else if (next instanceof Slow slow) {
            try {
                Thread.sleep(slow.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            code = slow.code();
        }
        exchange.sendResponseHeaders(code, -1);
        exchange.close();
    }

    private static void trickle(HttpExchange exchange, Trickle trickle) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        try (var body = exchange.getResponseBody()) {
            for (int i = 0; i < trickle.bytes(); i++) {
                body.write('x');
                body.flush();
                if (!trickle.every().isZero()) {
                    Thread.sleep(trickle.every().toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException closedByTheSender) {
            // The sender stopped reading: what it should do with a body that never ends.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
