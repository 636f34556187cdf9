package dev.tally.bootstrap;

import picocli.CommandLine.Option;

/** {@code --port}, default {@code TALLY_PORT}, else 8080. */
final class PortOption {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:TALLY_PORT:-8080}",
            description = "HTTP port (0 for any free port); env TALLY_PORT; default: ${DEFAULT-VALUE}")
    int port;
}
