package dev.tally.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bootstrap.bench.KafkaBench;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka throughput bench (R95) on the in-process broker: a small run checks that it counts the
 * whole backlog; {@code -Dtally.kafka.bench.records=100000} measures, on H2 and (with
 * {@code TALLY_TEST_POSTGRES_URL}) PostgreSQL, with one and two nodes over 4 partitions.
 */
class KafkaBenchTest {

    private static final int RECORDS = Integer.getInteger("tally.kafka.bench.records", 5_000);
    private static final int PARTITIONS = 4;

    @Test
    void R95_the_bench_consumes_a_backlog_into_an_h2_file_with_one_and_two_nodes(@TempDir Path directory)
            throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("tally").toAbsolutePath();
        for (int nodes = 1; nodes <= 2; nodes++) {
            measure(url, nodes);
        }
    }

    @Test
    void R95_the_bench_consumes_a_backlog_into_postgresql_with_one_and_two_nodes() throws Exception {
        try (TestDatabases.PostgresSchema schema = TestDatabases.postgresSchema()) {
            for (int nodes = 1; nodes <= 2; nodes++) {
                measure(schema.url(), nodes);
            }
        }
    }

    private static void measure(String url, int nodes) throws Exception {
        KafkaBench.Result result = KafkaBench.run(new TallyBenchHost(), url, KafkaBroker.bootstrap(), nodes,
                PARTITIONS, RECORDS, 50);
        System.out.println("Kafka bench: " + result);
        assertThat(result.counted()).as("records counted after the first").isPositive()
                .isLessThanOrEqualTo(RECORDS);
        assertThat(result.perSecond()).isPositive();
    }
}
