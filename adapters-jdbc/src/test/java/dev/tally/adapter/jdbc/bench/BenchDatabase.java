package dev.tally.adapter.jdbc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh database for one benchmark run: an H2 file database in a temp directory, or a new schema
 * on the PostgreSQL server of {@code TALLY_TEST_POSTGRES_URL}. Closing it drops what it created.
 */
final class BenchDatabase implements AutoCloseable {

    private final String url;
    private final boolean postgres;
    private final Path directory;
    private final String schema;

    private BenchDatabase(String url, boolean postgres, Path directory, String schema) {
        this.url = url;
        this.postgres = postgres;
        this.directory = directory;
        this.schema = schema;
    }

    /** {@code h2} or {@code postgres}; empty (and says so) when PostgreSQL is not configured. */
    static Optional<BenchDatabase> create(String database) throws IOException, SQLException {
        if (!database.equals("postgres")) {
            Path directory = Files.createTempDirectory("tally-bench");
            return Optional.of(new BenchDatabase("jdbc:h2:file:" + directory.resolve("tally").toAbsolutePath(),
                    false, directory, null));
        }
        String server = System.getenv("TALLY_TEST_POSTGRES_URL");
        if (server == null || server.isBlank()) {
            System.out.println("postgres skipped: TALLY_TEST_POSTGRES_URL is not set");
            return Optional.empty();
        }
        String schema = "tally_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(server, "CREATE SCHEMA " + schema);
        return Optional.of(new BenchDatabase(server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                true, null, schema));
    }

    String url() {
        return url;
    }

    boolean postgres() {
        return postgres;
    }

    @Override
    public void close() throws IOException, SQLException {
        if (schema != null) {
            execute(System.getenv("TALLY_TEST_POSTGRES_URL"), "DROP SCHEMA " + schema + " CASCADE");
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(BenchDatabase::delete);
            }
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.createStatement().execute(sql);
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + path, e);
        }
    }
}
