package dev.tally.adapter.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
 * @param rates                    how fast one key, and one address without a valid key, may call (R67)
 * @param metricsToken             a token that reads {@code /metrics} and nothing else (R68), for Prometheus;
 *                                 at least 16 characters. Without it only the admin key reads {@code /metrics}
 */
public record ServerSettings(String host, int port, long maxRequestBytes, Duration stopTimeout,
                             Duration headerTimeout, Duration bodyTimeout, int maxConnections,
                             int maxConnectionsPerAddress, long bodyBudgetBytes, RateLimits rates,
                             Optional<String> metricsToken) {

    /** One mebibyte: far above any legitimate request (a usage batch of 1 000 records is ~200 KiB). */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_BODY_TIMEOUT_SECONDS = 20;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 100;
    public static final int DEFAULT_BODY_BUDGET_MIB = 128;
    public static final int MIN_METRICS_TOKEN_LENGTH = 16;

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
        Objects.requireNonNull(rates, "rates");
        Objects.requireNonNull(metricsToken, "metricsToken");
        if (metricsToken.filter(token -> token.strip().length() < MIN_METRICS_TOKEN_LENGTH).isPresent()) {
            throw new IllegalArgumentException("a metrics token has at least " + MIN_METRICS_TOKEN_LENGTH
                    + " characters");
        }
    }

    /** Defaults on every interface at {@code port}. */
    public static ServerSettings onPort(int port) {
        return new ServerSettings("0.0.0.0", port, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_STOP_TIMEOUT,
                Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS), Duration.ofSeconds(DEFAULT_BODY_TIMEOUT_SECONDS),
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_BODY_BUDGET_MIB * 1024L * 1024,
                RateLimits.DEFAULTS, Optional.empty());
    }

    /** The same with other read deadlines for a request's headers and its body. */
    public ServerSettings withReadDeadlines(Duration header, Duration body) {
        return new ServerSettings(host, port, maxRequestBytes, stopTimeout, header, body, maxConnections,
                maxConnectionsPerAddress, bodyBudgetBytes, rates, metricsToken);
    }

    /** The same with other caps on open connections, in total and per client address (0: none). */
    public ServerSettings withConnectionCaps(int total, int perAddress) {
        return new ServerSettings(host, port, maxRequestBytes, stopTimeout, headerTimeout, bodyTimeout, total,
                perAddress, bodyBudgetBytes, rates, metricsToken);
    }

    /** The same with another budget for the bytes of all the bodies still arriving at once. */
    public ServerSettings withBodyBudget(long bytes) {
        return new ServerSettings(host, port, maxRequestBytes, stopTimeout, headerTimeout, bodyTimeout, maxConnections,
                maxConnectionsPerAddress, bytes, rates, metricsToken);
    }

    /** The same with other rate limits (R67). */
    public ServerSettings withRates(RateLimits other) {
        return new ServerSettings(host, port, maxRequestBytes, stopTimeout, headerTimeout, bodyTimeout, maxConnections,
                maxConnectionsPerAddress, bodyBudgetBytes, other, metricsToken);
    }

    /** The same with a token that reads {@code /metrics} (R68); empty leaves it to the admin key. */
    public ServerSettings withMetricsToken(Optional<String> token) {
        return new ServerSettings(host, port, maxRequestBytes, stopTimeout, headerTimeout, bodyTimeout, maxConnections,
                maxConnectionsPerAddress, bodyBudgetBytes, rates, token.map(String::strip));
    }

    /** The settings without the metrics token, which is a secret. */
    @Override
    public String toString() {
        return "ServerSettings[host=" + host + ", port=" + port + ", maxRequestBytes=" + maxRequestBytes
                + ", headerTimeout=" + headerTimeout + ", bodyTimeout=" + bodyTimeout + ", maxConnections="
                + maxConnections + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress + ", bodyBudgetBytes="
                + bodyBudgetBytes + ", rates=" + rates + ", metricsToken=" + metricsToken.map(t -> "(set)").orElse("(none)")
                + "]";
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
