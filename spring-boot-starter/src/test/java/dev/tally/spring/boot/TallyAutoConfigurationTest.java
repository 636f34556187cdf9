package dev.tally.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.adapter.http.TallyServer;
import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.Tally;
import dev.tally.application.event.EventListener;
import dev.tally.application.memory.InMemoryUsageLedger;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.domain.event.Event;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.LimitExceeded;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.user.UserId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter in real application contexts (R96): Tally over the application's {@code DataSource}
 * or in memory, the application's beans used, each of the starter's beans backing off for the
 * application's own, a schema that is not migrated refused by name, the HTTP API on and off.
 */
class TallyAutoConfigurationTest {

    private static final MetricKey EXPORTS = new MetricKey("exports");
    private static final UserId ACME = new UserId("acme");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TallyAutoConfiguration.class));

    @Test
    void without_a_data_source_tally_keeps_its_data_in_memory_and_refuses_past_the_limit() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Tally.class).doesNotHaveBean(JdbcStorage.class);
            assertThat(context.getBean(TallyStorage.class).usage()).isInstanceOf(InMemoryUsageLedger.class);
            assertThat(exportsUntilRefused(context.getBean(Tally.class))).isEqualTo(2);
        });
    }

    @Test
    void over_the_applications_data_source_tally_migrates_its_own_schema_and_refuses_past_the_limit() {
        DataSource dataSource = h2();
        runner.withBean(DataSource.class, () -> dataSource).run(context -> {
            assertThat(context).hasSingleBean(JdbcStorage.class);
            assertThat(exportsUntilRefused(context.getBean(Tally.class))).isEqualTo(2);
            assertThat(tablesIn(dataSource, "tally")).contains("usage_facts", "flyway_schema_history");
            assertThat(tablesIn(dataSource, "public")).isEmpty();
        });
    }

    @Test
    void the_schema_is_the_one_the_property_names() {
        DataSource dataSource = h2();
        runner.withBean(DataSource.class, () -> dataSource).withPropertyValues("tally.jdbc.schema=metering")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(tablesIn(dataSource, "metering")).contains("usage_facts");
                    assertThat(tablesIn(dataSource, "tally")).isEmpty();
                });
    }

    @Test
    void validate_on_an_empty_schema_fails_start_up_naming_the_property() {
        runner.withBean(DataSource.class, TallyAutoConfigurationTest::h2)
                .withPropertyValues("tally.jdbc.migrations=validate")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isNotNull();
                    assertThat(messages(context.getStartupFailure()))
                            .contains("tally.jdbc.migrations is 'validate'").contains("'tally'");
                });
    }

    @Test
    void validate_on_a_migrated_schema_starts() {
        DataSource dataSource = h2();
        JdbcStorage.flyway(dataSource, "tally").load().migrate();
        runner.withBean(DataSource.class, () -> dataSource).withPropertyValues("tally.jdbc.migrations=validate")
                .run(context -> assertThat(exportsUntilRefused(context.getBean(Tally.class))).isEqualTo(2));
    }

    @Test
    void an_applications_own_tally_makes_the_starter_back_off() {
        Tally own = Tally.inMemory(Clock.systemUTC());
        runner.withBean(DataSource.class, TallyAutoConfigurationTest::h2).withBean(Tally.class, () -> own)
                .run(context -> {
                    assertThat(context).hasSingleBean(Tally.class).doesNotHaveBean(JdbcStorage.class)
                            .doesNotHaveBean(TallyStorage.class);
                    assertThat(context.getBean(Tally.class)).isSameAs(own);
                });
    }

    @Test
    void the_applications_clock_listeners_and_meter_registry_are_used() {
        Clock fixed = Clock.fixed(Instant.parse("2030-01-15T10:00:00Z"), ZoneOffset.UTC);
        List<Event> heard = new CopyOnWriteArrayList<>();
        runner.withBean(Clock.class, () -> fixed)
                .withBean(EventListener.class, () -> heard::add)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    Tally tally = context.getBean(Tally.class);
                    assertThat(tally.clock()).isSameAs(fixed);
                    assertThat(exportsUntilRefused(tally)).isEqualTo(2);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("tally.use.case.denials").tag("refusal", "other_limit_exceeded")
                            .counter().count()).isEqualTo(1);
                    assertThat(heard).isNotEmpty();
                });
    }

    @Test
    void the_health_indicator_reports_storage_migrations_and_webhook_backlog() {
        runner.withBean(DataSource.class, TallyAutoConfigurationTest::h2).run(context -> {
            Health health = context.getBean(TallyHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("storage", "reachable")
                    .containsEntry("migrations", "current").containsEntry("webhooks_pending", 0L);
        });
    }

    @Test
    void the_health_indicator_is_down_when_the_schema_lacks_migrations() {
        DataSource dataSource = h2();
        runner.withBean(DataSource.class, () -> dataSource).run(context -> {
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM tally.flyway_schema_history WHERE installed_rank = "
                        + "(SELECT MAX(installed_rank) FROM tally.flyway_schema_history)");
            }
            Health health = context.getBean(TallyHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("migrations", "pending");
        });
    }

    @Test
    void the_http_api_is_off_unless_enabled() {
        runner.run(context -> assertThat(context).doesNotHaveBean(TallyServer.class));
    }

    @Test
    void enabled_the_http_api_answers_on_its_own_port() {
        runner.withPropertyValues("tally.http.enabled=true", "tally.http.port=0").run(context -> {
            TallyServer server = context.getBean(TallyServer.class);
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\"");
        });
    }

    /** Records one export at a time, enforced, against a plan of two; returns how many were granted. */
    static int exportsUntilRefused(Tally tally) {
        exportsPlan(tally, 2);
        for (int i = 0; i < 5; i++) {
            if (recordExport(tally, "export-" + i).refusalAs(LimitExceeded.class).isPresent()) {
                return i;
            }
        }
        return 5;
    }

    /** Puts {@code acme} on a plan of {@code limit} exports. */
    static void exportsPlan(Tally tally, long limit) {
        tally.plans().put(Plan.of(new PlanId("starter"), "Starter", new PlanLimits(Map.of(EXPORTS, Limit.of(limit)))));
        tally.users().put(PutUser.of(ACME, new PlanId("starter")));
    }

    /** One export of {@code acme}, enforced, idempotent by {@code key}. */
    static Outcome<?> recordExport(Tally tally, String key) {
        return tally.usage().record(new RecordUsage(ACME, List.of(UsageItem.of(EXPORTS, 1, key)), true));
    }

    static DataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(JdbcStorage.withDefaults("jdbc:h2:mem:app-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
        return dataSource;
    }

    private static List<String> tablesIn(DataSource dataSource, String schema) throws SQLException {
        List<String> tables = new java.util.ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             ResultSet rows = connection.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                tables.add(rows.getString("TABLE_NAME"));
            }
        }
        return tables;
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
