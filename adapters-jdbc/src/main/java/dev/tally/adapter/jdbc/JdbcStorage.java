package dev.tally.adapter.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.tally.application.port.StorageUnavailableException;
import dev.tally.application.port.TallyStorage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.ValidateResult;
import org.jdbi.v3.core.Handles;
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
 *
 * <p>Two ways in. The server opens a URL ({@link #open(String)}): Tally builds and closes its own
 * pool, and its tables live in the schema the URL's connections start in, as they always have
 * ({@code public}, or the URL's {@code currentSchema}). An embedder hands over a {@link DataSource}
 * it owns ({@link #over(DataSource)}): Tally never closes it, keeps its tables and Flyway's history
 * table in a schema of its own (default {@value #DEFAULT_SCHEMA}), and either migrates that schema
 * or only checks that it is at the latest version:
 *
 * <pre>{@code
 * JdbcStorage storage = JdbcStorage.over(dataSource).schema("billing").migrations(Migrations.VALIDATE).open();
 * Tally tally = Tally.create(storage.ports(), Clock.systemUTC(), Tally.Settings.DEFAULTS);
 * }</pre>
 */
public final class JdbcStorage implements AutoCloseable {

    /** Connections in the pool unless told otherwise. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /**
     * How long a transaction waits for a free connection before storage counts as unavailable
     * ({@code 503}, R66): long past any wait a healthy pool causes, short of a client's timeout.
     */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    /** The schema of an embedded storage unless the embedder names another. */
    public static final String DEFAULT_SCHEMA = "tally";

    /** What opening an embedded storage does with Tally's migrations. */
    public enum Migrations {
        /** Applies the migrations the schema lacks (creating the schema if needed). */
        MIGRATE,
        /**
         * Changes nothing and refuses to open unless the schema is at the latest version, for
         * embedders that migrate in a deployment step of their own ({@link #flyway(DataSource, String)}).
         */
        VALIDATE
    }

    /** A schema name that needs no quoting on H2 (lower-case names) or PostgreSQL. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final AutoCloseable owned;
    private final Jdbi jdbi;
    /** The database every port writes through, with the write lock where writes are serialized. */
    private final Db db;
    private final TallyStorage ports;

    /** One write lock per H2 file database open in this process, by URL. */
    private static final Map<String, Lock> H2_FILE_WRITES = new ConcurrentHashMap<>();

    private JdbcStorage(DataSource dataSource, String url, AutoCloseable owned) {
        this(dataSource, url, owned, Jdbi.create(dataSource), Optional.empty());
    }

    private JdbcStorage(DataSource dataSource, String url, AutoCloseable owned, Jdbi connections,
                        Optional<JoinedConnections> callers) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.jdbi = TallyJdbi.prepare(connections);
        Optional<Lock> writes = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:")
                ? Optional.of(H2_FILE_WRITES.computeIfAbsent(url.split(";", 2)[0], name -> new ReentrantLock()))
                : Optional.empty();
        this.db = new Db(jdbi, writes, callers);
        AccountCatalog accounts = new AccountCatalog();
        this.ports = new TallyStorage(new JdbiTransactions(db, groupsDecisions(url, db)), new JdbiUsageLedger(db),
                new JdbiIdempotencyStore(db), new JdbiPlanRepository(db), new JdbiUserRepository(db, accounts),
                new JdbiModelPriceRepository(db), new JdbiReportRunRepository(db),
                new JdbiCreditTransactionRepository(db), new JdbiApiCallRepository(db),
                new JdbiActivationCodeRepository(db), new JdbiSessionRepository(db), new JdbiApiKeyRepository(db),
                new JdbiAllocationRepository(db), new JdbiEventLog(db), new JdbiWebhookStore(db),
                new JdbiAuditLog(db), new JdbiPlanTermsRepository(db, accounts), new JdbiRateCells(db));
    }

    /**
     * Whether decisions share transactions ({@link GroupCommit}) by default: on an H2 file, whose
     * writes run one at a time anyway, and on PostgreSQL, where a group is decided in multi-row
     * statements ({@link GroupedAppends}) in several lanes at once. Not on an H2 memory database.
     */
    private static boolean groupsDecisions(String url, Db db) {
        return db.writesSerialized() || url.startsWith("jdbc:postgresql:");
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
            return new JdbcStorage(dataSource, dataSource.getJdbcUrl(), dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * Starts opening Tally's storage over {@code dataSource}, a pool the embedder owns and closes:
     * {@link #close()} leaves it open. H2 databases need the settings of {@link #withDefaults}
     * in their URL.
     */
    public static Embedding over(DataSource dataSource) {
        return new Embedding(Objects.requireNonNull(dataSource, "dataSource"), DEFAULT_SCHEMA, Migrations.MIGRATE,
                null);
    }

    /**
     * How an embedded storage is opened: over whose pool, in which schema, and whether it migrates.
     * Immutable; each setter returns a new one.
     */
    public static final class Embedding {

        private final DataSource dataSource;
        private final String schema;
        private final Migrations migrations;
        private final CallerTransactions callers;

        private Embedding(DataSource dataSource, String schema, Migrations migrations, CallerTransactions callers) {
            this.dataSource = dataSource;
            this.schema = schema;
            this.migrations = migrations;
            this.callers = callers;
        }

        /**
         * The schema for Tally's tables and its Flyway history; lower-case letters, digits and
         * underscores, as neither database then needs quotes.
         */
        public Embedding schema(String schema) {
            Objects.requireNonNull(schema, "schema");
            if (!SCHEMA_NAME.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must be lower-case letters, digits and underscores, "
                        + "starting with a letter or underscore, at most 63 characters: '" + schema + "'");
            }
            return new Embedding(dataSource, schema, migrations, callers);
        }

        /** Whether opening migrates the schema (the default) or only validates it. */
        public Embedding migrations(Migrations migrations) {
            return new Embedding(dataSource, schema, Objects.requireNonNull(migrations, "migrations"), callers);
        }

        /**
         * Tally's reads and writes join the caller's transaction whenever the calling thread has
         * one open ({@code callers}), so that a business write and its metering commit or roll back
         * together. What changes (docs/embedding.md): the row locks of an enforced write are held
         * until the caller's transaction ends; the write is durable (R23) at the caller's commit,
         * and in-process event listeners hear of it then (R78); Tally does not run a transaction
         * again after a conflict, the caller does; writes outside a caller's transaction are as
         * without this option. An idempotency key's claim is committed on its own, as always.
         */
        public Embedding joiningTransactions(CallerTransactions callers) {
            return new Embedding(dataSource, schema, migrations, Objects.requireNonNull(callers, "callers"));
        }

        /**
         * Migrates or validates the schema and opens the storage.
         *
         * @throws IllegalStateException when validating and the schema is missing, behind or
         *                               differs from Tally's migrations; or when an H2 database
         *                               lacks Tally's settings
         */
        public JdbcStorage open() {
            String url;
            boolean postgres;
            try (Connection connection = dataSource.getConnection()) {
                url = connection.getMetaData().getURL();
                postgres = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
                if (url.startsWith("jdbc:h2:")) {
                    requirePostgresMode(connection);
                }
            } catch (SQLException e) {
                throw new StorageUnavailableException("cannot reach the embedder's database: " + e.getMessage(), e);
            }
            FluentConfiguration flyway = flyway(dataSource, schema);
            if (migrations == Migrations.MIGRATE) {
                flyway.load().migrate();
            } else {
                ValidateResult result = flyway.load().validateWithResult();
                if (!result.validationSuccessful) {
                    throw new IllegalStateException("Tally's schema '" + schema + "' is not at the latest version "
                            + "(migrate it, or open with Migrations.MIGRATE): " + result.getAllErrorMessages());
                }
            }
            SchemaDataSource own = new SchemaDataSource(dataSource, schema, postgres);
            if (callers == null) {
                return new JdbcStorage(own, url, () -> { });
            }
            JoinedConnections connections = new JoinedConnections(own, callers, schema, postgres);
            Jdbi jdbi = Jdbi.create(connections);
            // The caller's connection is in its transaction when Tally's handle on it closes.
            jdbi.getConfig(Handles.class).setForceEndTransactions(false);
            return new JdbcStorage(own, url, () -> { }, jdbi, Optional.of(connections));
        }

        private static void requirePostgresMode(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet mode = statement.executeQuery(
                         "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'")) {
                if (!mode.next() || !"PostgreSQL".equalsIgnoreCase(mode.getString(1))) {
                    throw new IllegalStateException("an H2 database needs Tally's settings in its URL: "
                            + "build it with JdbcStorage.withDefaults(url)");
                }
            }
        }
    }

    /** Migrates the schema behind {@code dataSource} to the latest version. */
    public static void migrate(DataSource dataSource) {
        flyway(dataSource).load().migrate();
    }

    /** Flyway set up for Tally's migrations, for tools that need more than {@link #migrate}. */
    public static FluentConfiguration flyway(DataSource dataSource) {
        return Flyway.configure()
                .loggers(QuietFlywayLog.class.getName())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true);
    }

    /**
     * Flyway set up for Tally's migrations in {@code schema}, with its history table there too,
     * as {@link #over(DataSource)} uses it: for an embedder's own deployment step.
     */
    public static FluentConfiguration flyway(DataSource dataSource, String schema) {
        return flyway(dataSource).schemas(schema).defaultSchema(schema).createSchemas(true);
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

    /** The database the ports write through, with their write lock. */
    Db db() {
        return db;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** The connections Tally uses: its own pool, or the embedder's with Tally's schema set. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Closes the pool Tally built (an embedded H2 database is closed with its last connection);
     * an embedder's pool stays open.
     */
    @Override
    public void close() {
        try {
            owned.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the pool failed", e);
        }
    }
}
