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
    public record Received(String eventId, String signature, String contentType, String body) {
    }

    /** How one request is answered. */
    public sealed interface Behaviour permits Status, Slow, Drop {
    }

    public record Status(int code) implements Behaviour {
    }

    public record Slow(Duration delay, int code) implements Behaviour {
    }

    /** Closes the connection without an answer. */
    public record Drop() implements Behaviour {
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Behaviour> script = new ConcurrentLinkedQueue<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
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
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/tally";
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
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        Behaviour next = script.poll();
        if (next instanceof Drop) {
            exchange.close();
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

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
