package dev.tally.bootstrap;

import dev.tally.adapter.http.RateLimits;
import dev.tally.adapter.http.ServerSettings;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What one client may hold of the server (R65): read deadlines for a request's headers and body,
 * caps on open connections in total and per client address, and the bytes of bodies still arriving;
 * and how fast it may call (R67): requests and usage records per second of each key, and requests
 * per second from an address without a valid key.
 */
final class ClientLimitsOption {

    @Option(names = "--header-timeout", paramLabel = "SECONDS",
            defaultValue = "" + ServerSettings.DEFAULT_HEADER_TIMEOUT_SECONDS,
            description = "seconds a request line and headers may take to arrive; default: ${DEFAULT-VALUE}")
    int headerTimeoutSeconds;

    @Option(names = "--body-timeout", paramLabel = "SECONDS",
            defaultValue = "" + ServerSettings.DEFAULT_BODY_TIMEOUT_SECONDS,
            description = "seconds a request body may take to arrive (else 408); default: ${DEFAULT-VALUE}")
    int bodyTimeoutSeconds;

    @Option(names = "--max-connections", paramLabel = "N",
            defaultValue = "" + ServerSettings.DEFAULT_MAX_CONNECTIONS,
            description = "open connections in total; beyond it new ones wait; default: ${DEFAULT-VALUE}")
    int maxConnections;

    @Option(names = "--max-connections-per-address", paramLabel = "N",
            defaultValue = "" + ServerSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            description = "open connections from one client address, 0 for no cap (raise it behind a proxy that"
                    + " all clients share); default: ${DEFAULT-VALUE}")
    int maxConnectionsPerAddress;

    @Option(names = "--body-budget", paramLabel = "MIB", defaultValue = "" + ServerSettings.DEFAULT_BODY_BUDGET_MIB,
            description = "mebibytes of all the request bodies still arriving at once (beyond it 503);"
                    + " default: ${DEFAULT-VALUE}")
    int bodyBudgetMib;

    @Option(names = "--key-rate", paramLabel = "PER_SECOND", defaultValue = "" + RateLimits.DEFAULT_USER_KEY_REQUESTS,
            description = "requests per second of one user key, beyond it 429; 0 for no bound; default: ${DEFAULT-VALUE}")
    int keyRate;

    @Option(names = "--key-record-rate", paramLabel = "PER_SECOND",
            defaultValue = "" + RateLimits.DEFAULT_USER_KEY_RECORDS,
            description = "usage records per second of one user key (a batch counts each record), 0 for no bound or"
                    + " at least 1000 (the largest batch); default: ${DEFAULT-VALUE}")
    int keyRecordRate;

    @Option(names = "--admin-key-rate", paramLabel = "PER_SECOND", defaultValue = "0",
            description = "requests per second of one admin key; default: ${DEFAULT-VALUE} (no bound)")
    int adminKeyRate;

    @Option(names = "--admin-key-record-rate", paramLabel = "PER_SECOND", defaultValue = "0",
            description = "usage records per second of one admin key, 0 or at least 1000; default: ${DEFAULT-VALUE}"
                    + " (no bound)")
    int adminKeyRecordRate;

    @Option(names = "--address-rate", paramLabel = "PER_SECOND", defaultValue = "" + RateLimits.DEFAULT_ADDRESS_REQUESTS,
            description = "requests per second from one client address without a valid key (the page, health,"
                    + " metrics, unknown keys, which are looked up only within it); 0 for no bound (raise it behind a"
                    + " proxy that all clients share); default: ${DEFAULT-VALUE}")
    int addressRate;

    /** The server settings on {@code port} with these limits; an impossible one is a usage error. */
    ServerSettings on(int port, CommandLine.Model.CommandSpec spec) {
        try {
            return ServerSettings.onPort(port)
                    .withReadDeadlines(Duration.ofSeconds(headerTimeoutSeconds), Duration.ofSeconds(bodyTimeoutSeconds))
                    .withConnectionCaps(maxConnections, maxConnectionsPerAddress)
                    .withBodyBudget(bodyBudgetMib * 1024L * 1024)
                    .withRates(new RateLimits(keyRate, keyRecordRate, adminKeyRate, adminKeyRecordRate, addressRate));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
