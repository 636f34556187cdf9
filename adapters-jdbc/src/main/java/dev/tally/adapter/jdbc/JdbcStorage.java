package dev.tally.adapter.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.tally.application.port.TallyStorage;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * Tally's storage in one SQL database, H2 (embedded) or PostgreSQL: a connection pool, the
 * schema migrated to the latest version, and every repository over one {@link Jdbi}, sharing
 * one {@link dev.tally.application.port.Transactions} ({@link #ports()}).
 *
 * <p>H2 URLs get the settings the schema and the durability rule need unless they name them:
 * PostgreSQL compatibility, lower-case names, NULLs last, a lock timeout long enough for busy
 * rows, and for file databases {@code WRITE_DELAY=0}, so a commit is written to the file before
 * it is acknowledged and survives {@code kill -9} of the process (R23). Writes to an H2 file
 * database run one at a time in the process, since H2 skips the write of a commit that meets
 * another thread's write of the store.
 */
public final class JdbcStorage implements AutoCloseable {

    /** Connections in the pool unless told otherwise. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /**
     * How long a transaction waits for a free connection before storage counts as unavailable
     * ({@code 503}, R66): long past any wait a healthy pool causes, short of a client's timeout.
     */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final TallyStorage ports;

    /** One write lock per H2 file database open in this process, by URL. */
    private static final Map<String, Lock> H2_FILE_WRITES = new ConcurrentHashMap<>();

    private JdbcStorage(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = TallyJdbi.prepare(Jdbi.create(dataSource));
        String url = dataSource.getJdbcUrl();
        if (url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:")) {
            Db.serializeWrites(jdbi, H2_FILE_WRITES.computeIfAbsent(url.split(";", 2)[0], name -> new ReentrantLock()));
        }
        this.ports = new TallyStorage(new JdbiTransactions(jdbi), new JdbiUsageLedger(jdbi),
                new JdbiIdempotencyStore(jdbi), new JdbiPlanRepository(jdbi), new JdbiUserRepository(jdbi),
                new JdbiModelPriceRepository(jdbi), new JdbiReportRunRepository(jdbi),
                new JdbiCreditTransactionRepository(jdbi), new JdbiApiCallRepository(jdbi),
                new JdbiActivationCodeRepository(jdbi), new JdbiSessionRepository(jdbi), new JdbiApiKeyRepository(jdbi),
                new JdbiAllocationRepository(jdbi));
    }

    /** Opens {@code jdbcUrl} with the default pool size and migrates it. */
    public static JdbcStorage open(String jdbcUrl) {
        return open(jdbcUrl, DEFAULT_POOL_SIZE);
    }

    /** Opens {@code jdbcUrl} with a pool of {@code poolSize} connections and migrates it. */
    public static JdbcStorage open(String jdbcUrl, int poolSize) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(withDefaults(jdbcUrl));
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("tally");
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setExceptionOverride(new SQLExceptionOverride() {
            @java.lang.Override // the interface declares a type of its own named Override
            public Override adjudicate(SQLException e) {
                // Hikari knows PostgreSQL's dead connections, not H2's (an aborted session, a
                // closed database): without this, the pool hands the dead one out again.
                return Db.connectionLost(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
            }
        });
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            migrate(dataSource);
            return new JdbcStorage(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Migrates the schema behind {@code dataSource} to the latest version. */
    public static void migrate(DataSource dataSource) {
        flyway(dataSource).load().migrate();
    }

    /** Flyway set up for Tally's migrations, for tools that need more than {@link #migrate}. */
    public static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true);
    }

    /**
     * {@code jdbcUrl} with Tally's H2 settings added where the URL does not name them; other
     * databases' URLs are returned as they are.
     */
    public static String withDefaults(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            return jdbcUrl;
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("MODE", "PostgreSQL");
        defaults.put("DATABASE_TO_LOWER", "TRUE");
        defaults.put("DEFAULT_NULL_ORDERING", "HIGH");
        defaults.put("LOCK_TIMEOUT", "10000");
        if (!jdbcUrl.startsWith("jdbc:h2:mem:")) {
            defaults.put("WRITE_DELAY", "0");
        }
        String upper = jdbcUrl.toUpperCase(Locale.ROOT);
        StringBuilder url = new StringBuilder(jdbcUrl);
        defaults.forEach((name, value) -> {
            if (!upper.contains(";" + name + "=")) {
                url.append(';').append(name).append('=').append(value);
            }
        });
        return url.toString();
    }

    /** Every port, as the use cases take them. */
    public TallyStorage ports() {
        return ports;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Closes the pool; an embedded H2 database is closed with its last connection. */
    @Override
    public void close() {
        dataSource.close();
    }
}
