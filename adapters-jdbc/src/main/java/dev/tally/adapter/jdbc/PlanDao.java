package dev.tally.adapter.jdbc;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Plans' SQL: one row per plan and one per named limit. */
@RegisterRowMapperFactory(PlanDao.Rows.class)
interface PlanDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(PlanRow.class, PlanRow::map);
            map(LimitRow.class, LimitRow::map);
            map(LimitedRow.class, LimitedRow::map);
        }
    }

    /**
     * A plan row without its limits; a NULL {@code max_metrics} leaves the bound to the server (R67),
     * {@code displayNames} holds one {@code metric=name} line per named metric, NULL for none.
     */
    record PlanRow(String id, String name, BigDecimal maxFileSizeMb, int warningThresholdPercent, Alerts alerts,
                   Integer maxMetrics, String displayNames, String features, String creditsPerPeriod,
                   String rateLimits, String creditPrices) {
        static PlanRow map(ResultSet rs) throws SQLException {
            return map(rs, rs.getString("id"));
        }

        /** The plan row whose id is {@code id}, read from the columns a plan's queries select. */
        static PlanRow map(ResultSet rs, String id) throws SQLException {
            int max = rs.getInt("max_metrics");
            Integer maxMetrics = rs.wasNull() ? null : max;
            return new PlanRow(id, rs.getString("name"),
                    Decimals.optionalQuantity(rs, "max_file_size_mb").orElse(null),
                    rs.getInt("warning_threshold_percent"), Alerts.map(rs), maxMetrics,
                    rs.getString("metric_display_names"), rs.getString("features"), rs.getString("credits_per_period"),
                    rs.getString("rate_limits"), rs.getString("credit_prices"));
        }
    }

    /** A plan's alerts (R75): thresholds as comma-separated percentages, a NULL low balance is none. */
    record Alerts(String alertThresholdsPercent, Long lowBalanceCredits) {
        static Alerts map(ResultSet rs) throws SQLException {
            long low = rs.getLong("low_balance_credits");
            Long lowBalance = rs.wasNull() ? null : low;
            return new Alerts(rs.getString("alert_thresholds_percent"), lowBalance);
        }
    }

    /** One named limit, metered or of an allocation (R72); a NULL maximum is unlimited. */
    record LimitRow(String planId, String metric, BigDecimal max, boolean allocation) {
        static LimitRow map(ResultSet rs) throws SQLException {
            return new LimitRow(rs.getString("plan_id"), rs.getString("metric"),
                    Decimals.optionalQuantity(rs, "max_quantity").orElse(null), rs.getBoolean("allocation"));
        }
    }

    /** A plan row beside one of its limits (none for a plan without limits). */
    record LimitedRow(PlanRow plan, Optional<LimitRow> limit) {
        static LimitedRow map(ResultSet rs) throws SQLException {
            boolean none = rs.getString("metric") == null;
            return new LimitedRow(PlanRow.map(rs), none ? Optional.empty() : Optional.of(LimitRow.map(rs)));
        }
    }

    @SqlUpdate("UPDATE plans SET name = :name, max_file_size_mb = :maxFileSizeMb, "
            + "warning_threshold_percent = :warningThresholdPercent, "
            + "alert_thresholds_percent = :alerts.alertThresholdsPercent, "
            + "low_balance_credits = :alerts.lowBalanceCredits, max_metrics = :maxMetrics, "
            + "metric_display_names = :displayNames, features = :features, credits_per_period = :creditsPerPeriod "
            + "WHERE id = :id")
    int update(String id, String name, BigDecimal maxFileSizeMb, int warningThresholdPercent,
               @BindMethods("alerts") Alerts alerts, Integer maxMetrics, String displayNames, String features,
               String creditsPerPeriod);

    @SqlUpdate("INSERT INTO plans (id, name, max_file_size_mb, warning_threshold_percent, alert_thresholds_percent, "
            + "low_balance_credits, max_metrics, metric_display_names, features, credits_per_period) VALUES (:id, "
            + ":name, :maxFileSizeMb, :warningThresholdPercent, :alerts.alertThresholdsPercent, "
            + ":alerts.lowBalanceCredits, :maxMetrics, :displayNames, :features, :creditsPerPeriod) "
            + "ON CONFLICT DO NOTHING")
    int insert(String id, String name, BigDecimal maxFileSizeMb, int warningThresholdPercent,
               @BindMethods("alerts") Alerts alerts, Integer maxMetrics, String displayNames, String features,
               String creditsPerPeriod);

    /** A plan's rate limits (R90): one {@code metric=limit/per_seconds/burst} line each, NULL for none. */
    @SqlUpdate("UPDATE plans SET rate_limits = :rateLimits WHERE id = :id")
    int setRateLimits(String id, String rateLimits);

    /** A plan's credit prices (R38): one {@code metric=credits} line each, NULL for none. */
    @SqlUpdate("UPDATE plans SET credit_prices = :creditPrices WHERE id = :id")
    int setCreditPrices(String id, String creditPrices);

    @SqlUpdate("DELETE FROM plan_limits WHERE plan_id = :planId")
    void deleteLimits(String planId);

    @SqlBatch("INSERT INTO plan_limits (plan_id, metric, max_quantity, allocation) "
            + "VALUES (:planId, :metric, :max, :allocation)")
    void insertLimits(@BindMethods List<LimitRow> limits);

    /** The plan with its limits, one row per limit: read in one round trip. */
    @SqlQuery("SELECT p.id, p.name, p.max_file_size_mb, p.warning_threshold_percent, p.alert_thresholds_percent, "
            + "p.low_balance_credits, p.max_metrics, p.metric_display_names, p.features, p.credits_per_period, p.rate_limits, "
            + "p.credit_prices, l.plan_id, l.metric, l.max_quantity, "
            + "l.allocation FROM plans p LEFT JOIN plan_limits l ON l.plan_id = p.id WHERE p.id = :id")
    List<LimitedRow> find(String id);

    @SqlQuery("SELECT id, name, max_file_size_mb, warning_threshold_percent, alert_thresholds_percent, "
            + "low_balance_credits, max_metrics, metric_display_names, features, credits_per_period, rate_limits, "
            + "credit_prices FROM plans ORDER BY id")
    List<PlanRow> all();

    @SqlQuery("SELECT plan_id, metric, max_quantity, allocation FROM plan_limits")
    List<LimitRow> allLimits();
}
