package dev.tally.adapter.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP server runs.
 *
 * @param host            the interface to bind, e.g. {@code 0.0.0.0}
 * @param port            the port, {@code 0} for any free one
 * @param maxRequestBytes larger request bodies are refused with {@code 413}
 * @param stopTimeout     how long {@link TallyServer#close()} waits for requests in flight
 */
public record ServerSettings(String host, int port, long maxRequestBytes, Duration stopTimeout) {

    /** One mebibyte: far above any legitimate request (a usage batch of 1 000 records is ~200 KiB). */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be positive");
        }
    }

    /** Defaults on every interface at {@code port}. */
    public static ServerSettings onPort(int port) {
        return new ServerSettings("0.0.0.0", port, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_STOP_TIMEOUT);
    }
}
