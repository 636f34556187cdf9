package dev.tally.bootstrap;

import dev.tally.adapter.http.ServerSettings;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What one client may hold of the server (R65): read deadlines for a request's headers and body,
 * caps on open connections in total and per client address, and the bytes of bodies still arriving.
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

    /** The server settings on {@code port} with these limits; an impossible one is a usage error. */
    ServerSettings on(int port, CommandLine.Model.CommandSpec spec) {
        try {
            return ServerSettings.onPort(port)
                    .withReadDeadlines(Duration.ofSeconds(headerTimeoutSeconds), Duration.ofSeconds(bodyTimeoutSeconds))
                    .withConnectionCaps(maxConnections, maxConnectionsPerAddress)
                    .withBodyBudget(bodyBudgetMib * 1024L * 1024);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
