package dev.tally.adapter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.AppendResult;
import dev.tally.application.port.PeriodRecord;
import dev.tally.domain.plan.MetricKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R23: a write acknowledged by the embedded H2 database survives {@code kill -9} of the process
 * right after the answer. A child JVM writes and prints each acknowledgement; this test reads
 * them, kills the child with SIGKILL mid-stream and reopens the database.
 */
class DurabilityTest {

    private static final int ACKS_BEFORE_KILL = 200;

    @Test
    void R23_every_acknowledged_write_survives_kill_minus_9(@TempDir Path directory) throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("tally").toAbsolutePath();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DurabilityChild.class.getName(), url)
                .redirectErrorStream(true)
                .start();
        long acknowledged = -1;
        List<String> other = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged + 1 < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acknowledged = Long.parseLong(line.substring(4));
                } else {
                    other.add(line);
                }
            }
            // SIGKILL on Linux: no shutdown hook, no close, no flush.
            child.destroyForcibly();
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(acknowledged).as("child output: %s", other).isEqualTo(ACKS_BEFORE_KILL - 1);

        try (JdbcStorage reopened = JdbcStorage.open(url, 2)) {
            List<PeriodRecord> acked = new ArrayList<>();
            for (long n = 0; n <= acknowledged; n++) {
                acked.add(DurabilityChild.record(n));
            }
            AppendResult again = reopened.ports().usage().append(DurabilityChild.USER, acked, Map.of());
            assertThat(again).as("every acknowledged record is stored, so each is a duplicate now")
                    .isEqualTo(new AppendResult.Appended(0, ACKS_BEFORE_KILL));
            assertThat(reopened.ports().usage().totals(DurabilityChild.USER, MetricKey.RUNS, DurabilityChild.PERIOD).used())
                    .isGreaterThanOrEqualTo(java.math.BigDecimal.valueOf(ACKS_BEFORE_KILL));
        }
    }
}
