package dev.tally.bootstrap;

import java.util.Objects;
import java.util.Optional;

/**
 * How the service runs, from flags or the environment ({@code TALLY_PORT}, {@code TALLY_DB_URL},
 * {@code TALLY_ADMIN_KEY}).
 *
 * @param port     the HTTP port, 0 for any free one
 * @param dbUrl    a JDBC URL (H2 or PostgreSQL), or {@link OpenStorage#MEMORY}
 * @param adminKey an operator-chosen admin key; when empty and no admin key exists, one is generated
 */
public record AppConfig(int port, String dbUrl, Optional<String> adminKey) {

    /** The default database: an H2 file under {@code ./tally-data}. */
    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./tally-data/tally";
    public static final int DEFAULT_PORT = 8080;

    public AppConfig {
        Objects.requireNonNull(dbUrl, "dbUrl");
        Objects.requireNonNull(adminKey, "adminKey");
        adminKey = adminKey.map(String::strip).filter(key -> !key.isEmpty());
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
    }
}
