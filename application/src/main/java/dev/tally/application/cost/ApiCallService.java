package dev.tally.application.cost;

import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.ApiCallRepository;
import dev.tally.application.port.ModelPriceRepository;
import dev.tally.application.port.UseCaseMetrics;
import dev.tally.application.usage.Metering;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.Accounts;
import dev.tally.domain.cost.ApiCall;
import dev.tally.domain.cost.CostBreakdown;
import dev.tally.domain.cost.ProviderDetector;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.run.ModelPrice;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.usage.LateEventPolicy;
import dev.tally.domain.usage.UsageRecord;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * API calls and their costs (R40–R43): each call is stored with the provider that actually
 * served it (given, or detected from the model, else {@code unknown}, never an error), and
 * counted in {@code api_calls.<call_type>} and {@code cost_usd} like any other metric.
 */
public class ApiCallService {

    private final ApiCallRepository calls;
    private final ModelPriceRepository prices;
    private final ProviderDetector detector;
    private final Metering metering;
    private final Accounts accounts;
    private final IdempotentWrites writes;
    private final LateEventPolicy lateEvents;
    private final Clock clock;
    private final UseCaseMetrics metrics;

    @Inject
    public ApiCallService(ApiCallRepository calls, ModelPriceRepository prices, ProviderDetector detector,
                          Metering metering, Accounts accounts, IdempotentWrites writes, LateEventPolicy lateEvents,
                          Clock clock, UseCaseMetrics metrics) {
        this.metrics = metrics;
        this.calls = calls;
        this.prices = prices;
        this.detector = detector;
        this.metering = metering;
        this.accounts = accounts;
        this.writes = writes;
        this.lateEvents = lateEvents;
        this.clock = clock;
    }

    /** Records a call; with {@code enforce}, refuses it when a call-type limit or the budget is reached. */
    public Outcome<ApiCall> record(RecordApiCall command) {
        return metrics.measure("api_calls.record", () -> recording(command));
    }

    private Outcome<ApiCall> recording(RecordApiCall command) {
        Instant now = clock.instant();
        Instant occurredAt = command.occurredAt().orElse(now);
        lateEvents.check(occurredAt, now);
        String provider = detector.detect(command.provider(), command.model(),
                command.model().flatMap(prices::find).map(ModelPrice::provider));
        ApiCall call = new ApiCall("call_" + UUID.randomUUID().toString().replace("-", ""), command.user(), command.callType(), provider,
                command.model(), command.costUsd(), command.statusCode(), command.latencyMs(), occurredAt);
        return writes.execute(command.user(), command.idempotencyKey(), command.fingerprint(), () -> {
            Map<String, String> dimensions = Map.of("provider", provider, "api_call_id", call.id());
            List<UsageRecord> records = new ArrayList<>();
            records.add(new UsageRecord(command.user(), MetricKey.apiCalls(call.callType()), BigDecimal.ONE, occurredAt,
                    new IdempotencyKey("api-call:" + call.id()), dimensions));
            if (call.costUsd().signum() > 0) {
                records.add(new UsageRecord(command.user(), MetricKey.COST_USD, call.costUsd(), occurredAt,
                        new IdempotencyKey("api-call-cost:" + call.id()), dimensions));
            }
            return metering.record(command.user(), records, command.enforce()).map(recorded -> {
                calls.insert(call);
                return call;
            });
        }, ApiCall::id, id -> calls.find(command.user(), id).orElseThrow());
    }

    /** The cost breakdown of the period containing {@code at}, default now, listing the top {@code top} (R42). */
    public CostBreakdown costs(UserId id, int top, Optional<Instant> at) {
        User user = accounts.user(id);
        return costs(user, accounts.planOf(user), user.periodAt(at.orElseGet(clock::instant)), top);
    }

    /** The cost breakdown of {@code period} against the plan's {@code cost_usd} budget. */
    public CostBreakdown costs(User user, Plan plan, BillingPeriod period, int top) {
        return CostBreakdown.of(period, calls.costsByProvider(user.id(), period), plan.limitOf(MetricKey.COST_USD), top);
    }
}
