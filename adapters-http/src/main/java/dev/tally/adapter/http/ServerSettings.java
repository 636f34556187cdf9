package dev.tally.adapter.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP server runs, and what it grants one client (R65). A request body is read in full
 * before any handler thread is given to the request, so a slow client holds a connection but
 * never a thread; the deadlines and caps below bound how many connections and for how long.
 *
 * @param host                     the interface to bind, e.g. {@code 0.0.0.0}
 * @param port                     the port, {@code 0} for any free one
 * @param maxRequestBytes          larger request bodies are refused with {@code 413}
 * @param stopTimeout              how long {@link TallyServer#close()} waits for requests in flight
 * @param headerTimeout            a request's line and headers must arrive within this from their first byte,
 *                                 else the connection is closed (default 10 s; a slowloris is cut here)
 * @param bodyTimeout              a request's body must arrive within this from the end of its headers, else
 *                                 {@code 408 request_timeout} and the connection is closed (default 20 s: the
 *                                 largest body at about 50 KB/s)
 * @param maxConnections           open connections in total; beyond it the server stops accepting until one
 *                                 closes (default 1 000)
 * @param maxConnectionsPerAddress open connections from one client address; a connection beyond it is closed
 *                                 at once (default 100; behind a proxy that all clients share, raise it, or
 *                                 {@code 0} for no cap)
 * @param bodyBudgetBytes          bytes of all the bodies still arriving at once; a body beyond it is
 *                                 {@code 503 service_unavailable} (default 128 MiB: 128 of the largest bodies;
 *                                 {@code maxConnections} slow clients could otherwise hold a mebibyte each)
 */
public record ServerSettings(String host, int port, long maxRequestBytes, Duration stopTimeout,
                             Duration headerTimeout, Duration bodyTimeout, int maxConnections,
                             int maxConnectionsPerAddress, long bodyBudgetBytes) {

    /** One mebibyte: far above any legitimate request (a usage batch of 1 000 records is ~200 KiB). */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_BODY_TIMEOUT_SECONDS = 20;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 100;
    public static final int DEFAULT_BODY_BUDGET_MIB = 128;

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be positive");
        }
        requirePositive(headerTimeout, "headerTimeout");
        requirePositive(bodyTimeout, "bodyTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be 0 (no cap) or more: "
                    + maxConnectionsPerAddress);
        }
        if (bodyBudgetBytes < 1) {
            throw new IllegalArgumentException("bodyBudgetBytes must be positive: " + bodyBudgetBytes);
        }
    }

    /** Defaults on every interface at {@code port}. */
    public static ServerSettings onPort(int port) {
        return new ServerSettings("0.0.0.0", port, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_STOP_TIMEOUT,
                Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS), Duration.ofSeconds(DEFAULT_BODY_TIMEOUT_SECONDS),
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_BODY_BUDGET_MIB * 1024L * 1024);
    }

    /** The same with other read deadlines for a request's headers and its body. */
    public ServerSettings withReadDeadlines(Duration header, Duration body) {
        return new ServerSettings(host, port, maxRequestBytes, stopTimeout, header, body, maxConnections,
                maxConnectionsPerAddress, bodyBudgetBytes);
    }

    /** The same with other caps on open connections, in total and per client address (0: none). */
    public ServerSettings withConnectionCaps(int total, int perAddress) {
        return new ServerSettings(host, port, maxRequestBytes, stopTimeout, headerTimeout, bodyTimeout, total,
                perAddress, bodyBudgetBytes);
    }

    /** The same with another budget for the bytes of all the bodies still arriving at once. */
    public ServerSettings withBodyBudget(long bytes) {
        return new ServerSettings(host, port, maxRequestBytes, stopTimeout, headerTimeout, bodyTimeout, maxConnections,
                maxConnectionsPerAddress, bytes);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
