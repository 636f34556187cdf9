package dev.tally.bootstrap;

import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.port.TallyStorage;
import dev.tally.bootstrap.bench.BenchHost;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage a database URL names, opened and migrated, with what closes it: an H2 or
 * PostgreSQL JDBC URL, or {@value #MEMORY} for fresh in-memory storage (nothing persists), for
 * trials, tests and {@code bench}.
 *
 * @param ports       every port the use cases need
 * @param description where the data lives, for people (never a password)
 */
public record OpenStorage(TallyStorage ports, String description, AutoCloseable closer) implements AutoCloseable {

    /** The URL of in-memory storage. */
    public static final String MEMORY = BenchHost.MEMORY;

    private static final Logger LOG = LoggerFactory.getLogger(OpenStorage.class);

    public OpenStorage {
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(closer, "closer");
    }

    /** Opens the storage {@code dbUrl} names and brings its schema to the latest version. */
    public static OpenStorage open(String dbUrl) {
        if (MEMORY.equals(dbUrl)) {
            return new OpenStorage(InMemoryStorage.create(), "in memory (nothing persists)", () -> { });
        }
        JdbcStorage jdbc = JdbcStorage.open(dbUrl);
        LOG.info("storage: {}", redacted(dbUrl));
        return new OpenStorage(jdbc.ports(), redacted(dbUrl), jdbc);
    }

    /** The URL without its query parameters, which may carry a password. */
    static String redacted(String dbUrl) {
        int query = dbUrl.indexOf('?');
        String base = query < 0 ? dbUrl : dbUrl.substring(0, query);
        return base.replaceAll("password=[^;&]*", "password=***");
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            LOG.warn("closing storage failed", e);
        }
    }
}
