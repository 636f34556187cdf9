package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.adapter.jdbc.JdbcStorage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export streams in constant memory (R94): a server whose heap is capped at 128 MB exports
 * every record of an H2 file database, oldest first, with its voids. The build exports 100 000
 * records; {@code -Dtally.export.records=1000000} exports a million (about a minute more).
 */
class ExportMemoryTest {

    private static final String ADMIN_KEY = "export-memory-admin-key-0123456789";
    private static final int RECORDS = Integer.getInteger("tally.export.records", 100_000);
    private static final int VOIDED_EVERY = 1000;
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void R94_a_server_with_a_128_mb_heap_exports_every_record_and_void_oldest_first() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("tally");
        JdbcStorage.open(url).close();
        seed(url);

        try (ServerProcess server = ServerProcess.startWithHeap("128m", url, ADMIN_KEY)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port
                            + "/v1/usage/export?from=2025-12-01T00:00:00Z&to=2026-12-01T00:00:00Z"))
                    .header("Authorization", "Bearer " + ADMIN_KEY).timeout(Duration.ofMinutes(10)).build();
            long started = System.nanoTime();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long records = 0;
            long voids = 0;
            long bytes = 0;
            String previous = "";
            String last = "";
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    bytes += line.length() + 1;
                    if (line.startsWith("{\"kind\":\"void\"")) {
                        voids++;
                    } else {
                        records++;
                        String at = line.substring(line.indexOf("\"occurred_at\":\"") + 15);
                        at = at.substring(0, at.indexOf('"'));
                        assertThat(at.compareTo(previous)).as("oldest first").isGreaterThanOrEqualTo(0);
                        previous = at;
                    }
                    last = line;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("exported %d records and %d voids (%d MB) in %.1f s: %.0f records/s, server heap "
                    + "capped at 128 MB%n", records, voids, bytes >> 20, seconds, records / seconds);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(records).isEqualTo(RECORDS);
            assertThat(voids).isEqualTo(RECORDS / VOIDED_EVERY);
            assertThat(server.process.isAlive()).as("the server survived the export").isTrue();
            String cursor = last.substring(last.indexOf("\"cursor\":\"") + 10, last.lastIndexOf('"'));
            HttpResponse<String> rest = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port
                            + "/v1/usage/export?from=2025-12-01T00:00:00Z&to=2026-12-01T00:00:00Z&cursor=" + cursor))
                    .header("Authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(rest.body()).as("nothing after the last line").isEmpty();
        }
    }

    /** Facts straight into the table, one a second from BASE over 100 users, every thousandth voided. */
    private static void seed(String url) throws Exception {
        long base = BASE.getEpochSecond() * 1_000_000_000L;
        long periodEnd = Instant.parse("2027-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
        try (Connection connection = DriverManager.getConnection(JdbcStorage.withDefaults(url));
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO usage_facts (user_id, metric, quantity, occurred_at, idempotency_key, "
                    + "fingerprint, dimensions, period_start, period_end) "
                    + "SELECT 'user-' || MOD(\"X\", 100), 'tokens', 1 + MOD(\"X\", 7), " + base + " + \"X\" * 1000000000, "
                    + "'key-' || \"X\", 'f', '{\"provider\":\"openai\"}', " + base + ", " + periodEnd
                    + " FROM SYSTEM_RANGE(1, " + RECORDS + ")");
            statement.execute("INSERT INTO usage_voids (fact_id, user_id, reason, voided_at) "
                    + "SELECT id, user_id, 'entered twice', " + periodEnd + " FROM usage_facts "
                    + "WHERE MOD(CAST(SUBSTRING(idempotency_key, 5) AS BIGINT), " + VOIDED_EVERY + ") = 0");
        }
    }
}
