package dev.tally.adapter.jdbc;

import dev.tally.application.port.PlanRepository;
import dev.tally.domain.plan.CreditsPerPeriod;
import dev.tally.domain.plan.DisplayNames;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanAlerts;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.plan.MetricRates;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** Plans in SQL; a plan and its limits are replaced together in one transaction. */
public final class JdbiPlanRepository implements PlanRepository {

    private final Db db;

    JdbiPlanRepository(Db db) {
        this.db = db;
    }

    @Override
    public void save(Plan plan) {
        String id = plan.id().value();
        BigDecimal cap = plan.maxFileSizeMb().orElse(null);
        PlanDao.Alerts alerts = new PlanDao.Alerts(plan.alerts().thresholdsPercent().stream().map(String::valueOf)
                .collect(Collectors.joining(",")), plan.alerts().lowBalanceCredits().orElse(null));
        Integer maxMetrics = plan.maxMetrics().isPresent() ? plan.maxMetrics().getAsInt() : null;
        String names = displayNames(plan.displayNames());
        String features = PlanTermsText.features(plan.features());
        String credits = plan.creditsPerPeriod().map(PlanTermsText::creditsPerPeriod).orElse(null);
        db.inTransaction(handle -> {
            PlanDao dao = Db.attach(handle, PlanDao.class);
            Upsert.run(() -> dao.update(id, plan.name(), cap, plan.warningThresholdPercent(), alerts, maxMetrics, names,
                            features, credits),
                    () -> dao.insert(id, plan.name(), cap, plan.warningThresholdPercent(), alerts, maxMetrics, names,
                            features, credits));
            dao.setRateLimits(id, PlanTermsText.rateLimits(plan.rateLimits()));
            dao.setCreditPrices(id, PlanTermsText.creditPrices(plan.creditPrices()));
            dao.deleteLimits(id);
            List<PlanDao.LimitRow> limits = new ArrayList<>();
            plan.limits().sorted().forEach((metric, limit) ->
                    limits.add(new PlanDao.LimitRow(id, metric.value(), limit.max().orElse(null), false)));
            plan.allocations().sorted().forEach((metric, limit) ->
                    limits.add(new PlanDao.LimitRow(id, metric.value(), limit.max().orElse(null), true)));
            if (!limits.isEmpty()) {
                dao.insertLimits(limits);
            }
            AccountCatalog.changed(handle);
            return null;
        });
    }

    @Override
    public Optional<Plan> find(PlanId id) {
        List<PlanDao.LimitedRow> rows = db.read(handle -> Db.attach(handle, PlanDao.class).find(id.value()));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(plan(rows.get(0).plan(), rows.stream().flatMap(r -> r.limit().stream()).toList()));
    }

    @Override
    public List<Plan> all() {
        return db.read(handle -> {
            PlanDao dao = Db.attach(handle, PlanDao.class);
            Map<String, List<PlanDao.LimitRow>> limits = dao.allLimits().stream()
                    .collect(Collectors.groupingBy(PlanDao.LimitRow::planId));
            return dao.all().stream().map(row -> plan(row, limits.getOrDefault(row.id(), List.of()))).toList();
        });
    }

    /** The plan of a plan row and its limit rows. */
    static Plan plan(PlanDao.PlanRow row, List<PlanDao.LimitRow> limitRows) {
        Map<MetricKey, Limit> limits = new HashMap<>();
        Map<MetricKey, Limit> allocations = new HashMap<>();
        for (PlanDao.LimitRow limit : limitRows) {
            (limit.allocation() ? allocations : limits).put(new MetricKey(limit.metric()),
                    limit.max() == null ? Limit.unlimited() : Limit.of(limit.max()));
        }
        String thresholds = row.alerts().alertThresholdsPercent();
        PlanAlerts alerts = new PlanAlerts(thresholds.isEmpty() ? List.of()
                : Arrays.stream(thresholds.split(",")).map(Integer::valueOf).toList(),
                Optional.ofNullable(row.alerts().lowBalanceCredits()));
        return new Plan(new PlanId(row.id()), row.name(), new PlanLimits(limits),
                Optional.ofNullable(row.maxFileSizeMb()), row.warningThresholdPercent(), new PlanLimits(allocations),
                alerts, row.maxMetrics() == null ? OptionalInt.empty() : OptionalInt.of(row.maxMetrics()),
                displayNames(row.displayNames()), PlanTermsText.features(row.features()))
                .withCreditsPerPeriod(Optional.ofNullable(row.creditsPerPeriod()).map(PlanTermsText::creditsPerPeriod))
                .withRateLimits(PlanTermsText.rateLimits(row.rateLimits()))
                .withCreditPrices(PlanTermsText.creditPrices(row.creditPrices()));
    }

    /** The display names as one {@code metric=name} line each, in their order; NULL for none. */
    private static String displayNames(DisplayNames names) {
        if (names.byMetric().isEmpty()) {
            return null;
        }
        return names.byMetric().entrySet().stream().map(e -> e.getKey().value() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** The display names stored as {@link #displayNames(DisplayNames)} writes them. */
    private static DisplayNames displayNames(String stored) {
        Map<MetricKey, String> names = new LinkedHashMap<>();
        if (stored != null) {
            for (String line : stored.split("\n")) {
                int eq = line.indexOf('=');
                names.put(new MetricKey(line.substring(0, eq)), line.substring(eq + 1));
            }
        }
        return new DisplayNames(names);
    }
}
