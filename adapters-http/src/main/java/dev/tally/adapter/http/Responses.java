package dev.tally.adapter.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.tally.domain.cost.CostBreakdown;
import dev.tally.domain.cost.ProviderCost;
import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.credit.CreditTransaction;
import dev.tally.domain.credit.Draw;
import dev.tally.domain.credit.CreditUsageReport;
import dev.tally.domain.credit.OperationUsage;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricUsage;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunStatistics;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * The response shapes that more than one route returns ("Shapes that clients rely on" in the
 * design). Each is built from a domain value by {@code from(...)}; domain objects themselves are
 * never serialised, so a refactoring of the domain cannot change the wire format by accident.
 */
final class Responses {

    private Responses() {
    }

    /** {@code {"start", "end"}} of a half-open billing period. */
    record Period(Instant start, Instant end) {
        static Period from(BillingPeriod period) {
            return new Period(period.start(), period.end());
        }
    }

    /**
     * One metric: {@code limit}, {@code remaining} and {@code percent} are null when unlimited (R15);
     * {@code source} says whether the limit is the plan's or a per-user override's (R73).
     */
    record Metric(String metric, BigDecimal used, BigDecimal reserved, BigDecimal limit, BigDecimal remaining,
                  BigDecimal percent, String status, String source) {
        static Metric from(MetricUsage usage) {
            return new Metric(usage.metric().value(), usage.used(), usage.reserved(), usage.limit().orElse(null),
                    usage.remaining().orElse(null), usage.percent().orElse(null), usage.status().wireName(),
                    usage.source().wire());
        }

        static List<Metric> all(List<MetricUsage> metrics) {
            return metrics.stream().map(Metric::from).toList();
        }
    }

    /**
     * One allocation (R72): its current value against the plan's limit, which no period resets;
     * {@code source} says whether the limit is the plan's or a per-user override's (R73).
     */
    record Allocation(String metric, BigDecimal value, BigDecimal limit, BigDecimal remaining, BigDecimal percent,
                      String status, String source) {
        static Allocation from(MetricUsage allocation) {
            return new Allocation(allocation.metric().value(), allocation.used(), allocation.limit().orElse(null),
                    allocation.remaining().orElse(null), allocation.percent().orElse(null),
                    allocation.status().wireName(), allocation.source().wire());
        }

        static List<Allocation> all(List<MetricUsage> allocations) {
            return allocations.stream().map(Allocation::from).toList();
        }
    }

    /** One report run (R25–R29). */
    record Run(String id, String userId, String status, String repositoryId, String configurationId,
               Instant startedAt, Instant completedAt, long tokensInput, long tokensOutput, String model,
               long commitsProcessed, @JsonSerialize(using = UsdAmount.class) BigDecimal costUsd, String costSource,
               String errorCode, String errorMessage,
               Webhook webhook) {
        static Run from(ReportRun run) {
            return new Run(Ids.shown(Ids.RUN, run.id()), run.user().value(), run.status().wireName(), run.repositoryId().orElse(null),
                    run.configurationId().orElse(null), run.startedAt(), run.completedAt().orElse(null),
                    run.tokensInput(), run.tokensOutput(), run.model().orElse(null), run.commitsProcessed(),
                    run.costUsd(), run.costSource().wireName(), run.errorCode().orElse(null),
                    run.errorMessage().orElse(null), Webhook.from(run));
        }
    }

    /** The webhook delivery of a run's result (R29). */
    record Webhook(boolean delivered, int attempts, Instant lastAttemptAt, Integer lastResponseStatus) {
        static Webhook from(ReportRun run) {
            var webhook = run.webhook();
            return new Webhook(webhook.delivered(), webhook.attempts(), webhook.lastAttemptAt().orElse(null),
                    webhook.lastResponseStatus().isPresent() ? webhook.lastResponseStatus().getAsInt() : null);
        }
    }

    /** Monthly run statistics (R28). */
    record RunUsage(Period period, long totalRuns, long successfulRuns, long failedRuns, long cancelledRuns,
                    long runningRuns, BigInteger totalTokens, @JsonSerialize(using = UsdAmount.class) BigDecimal totalCostUsd,
                    Instant lastRunAt,
                    BigDecimal limit, BigDecimal remaining, boolean canRunMore) {
        static RunUsage from(RunStatistics stats) {
            var counts = stats.counts();
            return new RunUsage(Period.from(stats.period()), counts.total(), counts.succeeded(), counts.failed(),
                    counts.cancelled(), counts.running(), counts.tokens(), counts.costUsd(),
                    counts.lastRunAt().orElse(null), stats.limit().orElse(null), stats.remaining().orElse(null),
                    stats.canRunMore());
        }
    }

    /** Gross, refunded and net credits of one operation (R33). */
    record Operation(String operation, long gross, long refunded, long net) {
        static Operation from(OperationUsage usage) {
            return new Operation(usage.operation(), usage.gross(), usage.refunded(), usage.net());
        }

        static List<Operation> all(CreditUsageReport report) {
            return report.operations().stream().map(Operation::from).toList();
        }
    }

    /** The sum over all operations. */
    record OperationTotal(long gross, long refunded, long net) {
        static OperationTotal from(CreditUsageReport report) {
            return new OperationTotal(report.total().gross(), report.total().refunded(), report.total().net());
        }
    }

    /** Credits by operation for one period (R33). */
    record CreditUsage(Period period, List<Operation> operations, OperationTotal total) {
        static CreditUsage from(CreditUsageReport report) {
            return new CreditUsage(Period.from(report.period()), Operation.all(report), OperationTotal.from(report));
        }
    }

    /** One ledger entry; {@code amount} is signed (a spend of 7 is {@code -7}). */
    record CreditEntry(String id, String type, long amount, String operation, String usageTransactionId,
                       String reason, Instant createdAt, long balanceAfter,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<Drawn> drawnFrom) {
        static CreditEntry from(CreditTransaction entry) {
            boolean draws = entry.amount() < 0;
            return new CreditEntry(Ids.shown(Ids.TRANSACTION, entry.id()), entry.type().wireName(), entry.amount(),
                    entry.operation().orElse(null), Ids.shown(Ids.TRANSACTION, entry.refundOf().orElse(null)), entry.reason().orElse(null), entry.createdAt(),
                    entry.balanceAfter(), draws ? entry.drawnFrom().stream().map(Drawn::from).toList() : null);
        }
    }

    /** Credits an entry drew from one grant (R35). */
    record Drawn(String grantId, long credits) {
        static Drawn from(Draw draw) {
            return new Drawn(Ids.shown(Ids.TRANSACTION, draw.grantId()), draw.credits());
        }
    }

    /** A purchase or grant with what remains of it at {@code now} (R35, R36). */
    record Grant(String id, String type, long amount, long remaining, int priority, Instant expiresAt,
                 boolean expired, Instant createdAt) {
        static Grant from(CreditGrant grant, Instant now) {
            return new Grant(Ids.shown(Ids.TRANSACTION, grant.id()), grant.type().wireName(), grant.amount(),
                    grant.countingAt(now), grant.priority(), grant.expiresAt().orElse(null),
                    grant.expired() || grant.terms().expiredAt(now), grant.createdAt());
        }

        /** A grant read as live (not expired, something left): all of its remainder counts. */
        static Grant live(CreditGrant grant) {
            return new Grant(Ids.shown(Ids.TRANSACTION, grant.id()), grant.type().wireName(), grant.amount(),
                    grant.remaining(), grant.priority(), grant.expiresAt().orElse(null), false, grant.createdAt());
        }
    }

    /** API costs of one period (R42). */
    record Costs(Period period, @JsonSerialize(using = UsdAmount.class) BigDecimal totalCostUsd,
                 @JsonSerialize(using = UsdAmount.class) BigDecimal budgetUsd, BigDecimal percent,
                 List<Provider> providers, Other other) {
        static Costs from(CostBreakdown costs) {
            return new Costs(Period.from(costs.period()), costs.totalCostUsd(), costs.budgetUsd().orElse(null),
                    costs.percent().orElse(null), costs.providers().stream().map(Provider::from).toList(),
                    new Other(costs.other().costUsd(), costs.other().calls()));
        }
    }

    /** What one provider cost. */
    record Provider(String provider, @JsonSerialize(using = UsdAmount.class) BigDecimal costUsd, long calls) {
        static Provider from(ProviderCost cost) {
            return new Provider(cost.provider(), cost.costUsd(), cost.calls());
        }
    }

    /** The providers beyond the top N, summed. */
    record Other(@JsonSerialize(using = UsdAmount.class) BigDecimal costUsd, long calls) {
    }
}
