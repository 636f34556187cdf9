package dev.tally.bootstrap;

import picocli.CommandLine.Option;

/** {@code --db-url}, default {@code TALLY_DB_URL}, else an H2 file under {@code ./tally-data}. */
final class DatabaseOption {

    @Option(names = "--db-url", paramLabel = "URL", defaultValue = "${env:TALLY_DB_URL:-" + AppConfig.DEFAULT_DB_URL + "}",
            description = "JDBC URL of the database (H2 or PostgreSQL), or '" + OpenStorage.MEMORY
                    + "' for in-memory storage; env TALLY_DB_URL; default: ${DEFAULT-VALUE}")
    String dbUrl;
}
