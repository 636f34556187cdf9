package dev.tally.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.application.Tally;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code tally.jdbc.join-transactions}: in a Spring transaction on the application's
 * {@code DataSource}, Tally's metering and the application's business write commit or roll back
 * together, on H2 and PostgreSQL.
 */
class JoinedSpringTransactionsTest {

    private static final String POSTGRES_URL = "TALLY_TEST_POSTGRES_URL";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void a_failed_business_insert_rolls_the_metering_back_with_it(String database) throws Exception {
        String schema = "tally_spring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        DataSource dataSource = dataSource(database);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE " + schema + "_orders (id VARCHAR(40) PRIMARY KEY)");
        try {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(TallyAutoConfiguration.class))
                    .withBean(DataSource.class, () -> dataSource)
                    .withBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(dataSource))
                    .withPropertyValues("tally.jdbc.join-transactions=true", "tally.jdbc.schema=" + schema)
                    .run(context -> {
                        Tally tally = context.getBean(Tally.class);
                        TransactionTemplate transaction =
                                new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
                        TallyAutoConfigurationTest.exportsPlan(tally, 10);
                        jdbc.update("INSERT INTO " + schema + "_orders (id) VALUES ('order-1')");

                        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                            assertThat(TallyAutoConfigurationTest.recordExport(tally, "in-tx").isRefused()).isFalse();
                            jdbc.update("INSERT INTO " + schema + "_orders (id) VALUES ('order-1')");
                        })).isInstanceOf(org.springframework.dao.DuplicateKeyException.class);

                        assertThat(count(jdbc, schema + ".usage_facts")).isZero();

                        transaction.executeWithoutResult(status -> {
                            assertThat(TallyAutoConfigurationTest.recordExport(tally, "committed").isRefused())
                                    .isFalse();
                            jdbc.update("INSERT INTO " + schema + "_orders (id) VALUES ('order-2')");
                        });
                        assertThat(count(jdbc, schema + ".usage_facts")).isEqualTo(1);
                        assertThat(count(jdbc, schema + "_orders")).isEqualTo(2);
                    });
        } finally {
            jdbc.execute("DROP TABLE " + schema + "_orders");
            jdbc.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static long count(JdbcTemplate jdbc, String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    private static DataSource dataSource(String database) throws Exception {
        if (database.equals("h2")) {
            return TallyAutoConfigurationTest.h2();
        }
        String url = System.getenv(POSTGRES_URL);
        Assumptions.assumeTrue(url != null && !url.isBlank(), "PostgreSQL tests skipped: set " + POSTGRES_URL);
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        return dataSource;
    }
}
