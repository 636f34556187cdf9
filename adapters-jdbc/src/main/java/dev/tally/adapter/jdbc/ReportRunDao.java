package dev.tally.adapter.jdbc;

import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCost;
import dev.tally.domain.run.RunCounts;
import dev.tally.domain.run.RunOutcome;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.run.WebhookDelivery;
import dev.tally.domain.user.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Report runs' SQL. */
@org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory(ReportRunDao.Rows.class)
interface ReportRunDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(ReportRun.class, ReportRunDao::map);
            map(RunCounts.class, ReportRunDao::mapCounts);
        }
    }

    String COLUMNS = "id, user_id, repository_id, configuration_id, status, started_at, completed_at, tokens_input, "
            + "tokens_output, model, commits_processed, cost_usd, cost_source, error_code, error_message, "
            + "webhook_delivered, webhook_attempts, webhook_last_attempt_at, webhook_last_status";
    String VALUES = ":id, :user, :repositoryId, :configurationId, :status, :startedAt, :completedAt, :tokensInput, "
            + ":tokensOutput, :model, :commitsProcessed, :costUsd, :costSource, :errorCode, :errorMessage, "
            + ":webhookDelivered, :webhookAttempts, :webhookLastAttemptAt, :webhookLastStatus";

    /** A run as bound to a statement: plain nullable values. */
    record Row(String id, String user, String repositoryId, String configurationId, String status, Instant startedAt,
               Instant completedAt, long tokensInput, long tokensOutput, String model, long commitsProcessed,
               java.math.BigDecimal costUsd, String costSource, String errorCode, String errorMessage,
               boolean webhookDelivered, int webhookAttempts, Instant webhookLastAttemptAt,
               Integer webhookLastStatus) {

        static Row of(ReportRun run) {
            WebhookDelivery webhook = run.webhook();
            return new Row(run.id(), run.user().value(), run.repositoryId().orElse(null),
                    run.configurationId().orElse(null), run.status().wireName(), run.startedAt(),
                    run.completedAt().orElse(null), run.tokensInput(), run.tokensOutput(), run.model().orElse(null),
                    run.commitsProcessed(), run.costUsd(), run.costSource().wireName(), run.errorCode().orElse(null),
                    run.errorMessage().orElse(null), webhook.delivered(), webhook.attempts(),
                    webhook.lastAttemptAt().orElse(null),
                    webhook.lastResponseStatus().isPresent() ? webhook.lastResponseStatus().getAsInt() : null);
        }
    }

    static ReportRun map(ResultSet rs) throws SQLException {
        int webhookStatus = rs.getInt("webhook_last_status");
        OptionalInt lastStatus = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(webhookStatus);
        WebhookDelivery webhook = new WebhookDelivery(rs.getBoolean("webhook_delivered"), rs.getInt("webhook_attempts"),
                Instants.optional(rs, "webhook_last_attempt_at"), lastStatus);
        RunStatus status = RunStatus.fromWireName(rs.getString("status"));
        Optional<RunOutcome> outcome = status.isTerminal() ? Optional.of(mapOutcome(rs, status)) : Optional.empty();
        return new ReportRun(rs.getString("id"), new UserId(rs.getString("user_id")),
                Optional.ofNullable(rs.getString("repository_id")), Optional.ofNullable(rs.getString("configuration_id")),
                Instants.get(rs, "started_at"), outcome, webhook);
    }

    /** The ending of a run that has ended; a running run's row holds none. */
    private static RunOutcome mapOutcome(ResultSet rs, RunStatus status) throws SQLException {
        return new RunOutcome(status, Instants.get(rs, "completed_at"), rs.getLong("tokens_input"),
                rs.getLong("tokens_output"), Optional.ofNullable(rs.getString("model")),
                rs.getLong("commits_processed"),
                new RunCost(Decimals.usd(rs, "cost_usd"),
                        RunCost.Source.valueOf(rs.getString("cost_source").toUpperCase(Locale.ROOT))),
                Optional.ofNullable(rs.getString("error_code")), Optional.ofNullable(rs.getString("error_message")));
    }

    static RunCounts mapCounts(ResultSet rs) throws SQLException {
        return new RunCounts(rs.getLong("total"), rs.getLong("succeeded"), rs.getLong("failed"),
                rs.getLong("cancelled"), rs.getLong("running"), rs.getBigDecimal("tokens").toBigIntegerExact(),
                Decimals.usd(rs, "cost_usd"),
                Instants.optional(rs, "last_run_at"));
    }

    @SqlUpdate("INSERT INTO report_runs (" + COLUMNS + ") VALUES (" + VALUES + ")")
    void insert(@BindMethods Row run);

    /** Replaces a run only while its status is still the expected one. */
    @SqlUpdate("UPDATE report_runs SET repository_id = :repositoryId, configuration_id = :configurationId, "
            + "status = :status, started_at = :startedAt, completed_at = :completedAt, tokens_input = :tokensInput, "
            + "tokens_output = :tokensOutput, model = :model, commits_processed = :commitsProcessed, "
            + "cost_usd = :costUsd, cost_source = :costSource, error_code = :errorCode, "
            + "error_message = :errorMessage, webhook_delivered = :webhookDelivered, "
            + "webhook_attempts = :webhookAttempts, webhook_last_attempt_at = :webhookLastAttemptAt, "
            + "webhook_last_status = :webhookLastStatus "
            + "WHERE id = :id AND user_id = :user AND status = :expected")
    int replace(@BindMethods Row run, String expected);

    /** One more delivery attempt, counted by the database so concurrent attempts all count. */
    @SqlUpdate("UPDATE report_runs SET webhook_attempts = webhook_attempts + 1, "
            + "webhook_delivered = (webhook_delivered OR :delivered), webhook_last_attempt_at = :at, "
            + "webhook_last_status = :status WHERE id = :id AND user_id = :user")
    int recordDelivery(String user, String id, Instant at, Integer status, boolean delivered);

    @SqlQuery("SELECT " + COLUMNS + " FROM report_runs WHERE id = :id AND user_id = :user")
    Optional<ReportRun> find(String user, String id);

    @SqlQuery("SELECT " + COLUMNS + " FROM report_runs WHERE user_id = :user "
            + "ORDER BY started_at DESC, id LIMIT :limit OFFSET :offset")
    List<ReportRun> page(String user, int limit, int offset);

    @SqlQuery("SELECT COUNT(*) FROM report_runs WHERE user_id = :user")
    long count(String user);

    @SqlQuery("SELECT COUNT(*) AS total, "
            + "COALESCE(SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END), 0) AS succeeded, "
            + "COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed, "
            + "COALESCE(SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END), 0) AS cancelled, "
            + "COALESCE(SUM(CASE WHEN status = 'running' THEN 1 ELSE 0 END), 0) AS running, "
            // Summed as NUMERIC: counts stored before they were bounded must still add up (R64).
            + "COALESCE(SUM(CAST(tokens_input AS NUMERIC(38, 0)) + CAST(tokens_output AS NUMERIC(38, 0))), 0) "
            + "AS tokens, "
            + "COALESCE(SUM(cost_usd), 0) AS cost_usd, MAX(started_at) AS last_run_at "
            + "FROM report_runs WHERE user_id = :user AND started_at >= :start AND started_at < :end")
    RunCounts counts(String user, Instant start, Instant end);

    @SqlQuery("SELECT " + COLUMNS + " FROM report_runs WHERE status = 'running' AND started_at < :cutoff "
            + "ORDER BY started_at, id LIMIT :max")
    List<ReportRun> runningStartedBefore(Instant cutoff, int max);
}
