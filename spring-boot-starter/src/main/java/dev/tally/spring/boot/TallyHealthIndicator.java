package dev.tally.spring.boot;

import dev.tally.adapter.jdbc.JdbcStorage;
import dev.tally.application.Tally;
import dev.tally.application.port.WebhookStore;
import java.sql.Connection;
import java.util.Arrays;
import org.flywaydb.core.api.MigrationInfo;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Tally's health in the application's {@code /actuator/health}: {@code DOWN} when its storage
 * cannot be reached or its schema lacks migrations; otherwise {@code UP}, with the webhook
 * deliveries waiting ({@code webhooks_pending}) and those failed for good ({@code webhooks_failed}).
 */
public class TallyHealthIndicator extends AbstractHealthIndicator {

    private static final int VALID_SECONDS = 2;

    private final Tally tally;
    private final JdbcStorage jdbc;
    private final String schema;

    /**
     * Health of {@code tally}; with {@code jdbc} (null for storage in memory), also whether its
     * database answers and its {@code schema} is at the latest version.
     */
    public TallyHealthIndicator(Tally tally, JdbcStorage jdbc, String schema) {
        super("Tally's health check failed");
        this.tally = tally;
        this.jdbc = jdbc;
        this.schema = schema;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        if (jdbc != null) {
            try (Connection connection = jdbc.dataSource().getConnection()) {
                if (!connection.isValid(VALID_SECONDS)) {
                    builder.down().withDetail("storage", "unreachable");
                    return;
                }
            }
            MigrationInfo[] pending = JdbcStorage.flyway(jdbc.dataSource(), schema).load().info().pending();
            builder.withDetail("schema", schema).withDetail("migrations", "current");
            if (pending.length > 0) {
                builder.down().withDetail("storage", "reachable").withDetail("migrations", "pending")
                        .withDetail("migrations_pending",
                        Arrays.stream(pending).map(m -> m.getVersion().getVersion()).toList());
                return;
            }
        }
        WebhookStore.Counts webhooks = tally.storage().webhooks().counts();
        builder.up().withDetail("storage", jdbc == null ? "memory" : "reachable")
                .withDetail("webhooks_pending", webhooks.pending())
                .withDetail("webhooks_failed", webhooks.failed());
    }
}
