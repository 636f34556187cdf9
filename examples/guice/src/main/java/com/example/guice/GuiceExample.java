package com.example.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import dev.tally.application.memory.InMemoryStorage;
import dev.tally.application.plan.PlanService;
import dev.tally.application.port.TallyStorage;
import dev.tally.application.port.UseCaseMetrics;
import dev.tally.application.run.CompleteRun;
import dev.tally.application.run.ReportRunService;
import dev.tally.application.run.StartRun;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.usage.UsageService;
import dev.tally.application.usecase.Outcome;
import dev.tally.application.user.PutUser;
import dev.tally.application.user.UserService;
import dev.tally.domain.cost.ProviderDetector;
import dev.tally.domain.plan.CreditPrices;
import dev.tally.domain.plan.Limit;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.plan.MetricRates;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.plan.PlanId;
import dev.tally.domain.plan.PlanLimits;
import dev.tally.domain.rate.MetricRate;
import dev.tally.domain.run.ReportRun;
import dev.tally.domain.run.RunCompletion;
import dev.tally.domain.run.RunStatus;
import dev.tally.domain.usage.LateEventPolicy;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tally's services built by a jakarta.inject container (Guice) from their {@code @Inject}
 * constructors: the module binds only the ports, the clock and the settings.
 */
public final class GuiceExample {

    /** The embedder's own code, which gets Tally's use cases injected. */
    static final class ReportDesk {

        private final PlanService plans;
        private final UserService users;
        private final ReportRunService runs;
        private final UsageService usage;

        @Inject
        ReportDesk(PlanService plans, UserService users, ReportRunService runs, UsageService usage) {
            this.plans = plans;
            this.users = users;
            this.runs = runs;
            this.usage = usage;
        }

        /**
         * Records enforced API calls for a user on a plan of 2 calls a minute with a burst of 1, so
         * that two calls in a row pass and a third waits (R90), and
         * summaries priced at 5 credits each (R38), the user holding no credits: the refusals' codes.
         */
        List<String> rateAndCredits(UserId user) {
            MetricKey calls = new MetricKey("calls");
            MetricKey summaries = new MetricKey("summaries");
            plans.put(Plan.of(new PlanId("api"), "API", new PlanLimits(Map.of(summaries, Limit.of(100))))
                    .withRateLimits(new MetricRates(Map.of(calls, new MetricRate(2, 60, 1))))
                    .withCreditPrices(new CreditPrices(Map.of(summaries, 5L))));
            users.put(PutUser.of(user, new PlanId("api")));
            List<String> refusals = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                refusalOf(usage.record(new RecordUsage(user, List.of(UsageItem.of(calls, 1, "call-" + i)), true)))
                        .ifPresent(refusals::add);
            }
            refusalOf(usage.record(new RecordUsage(user, List.of(UsageItem.of(summaries, 1, "summary-1")), true)))
                    .ifPresent(refusals::add);
            return refusals;
        }

        private static Optional<String> refusalOf(Outcome<?> outcome) {
            return outcome instanceof Outcome.Refused<?> refused ? Optional.of(refused.refusal().code())
                    : Optional.empty();
        }

        /** Runs reports for a user on a plan of {@code limit} runs until one is refused; how many ran. */
        int runUntilRefused(UserId user, int limit) {
            plans.put(Plan.of(new PlanId("free"), "Free", new PlanLimits(Map.of(MetricKey.RUNS, Limit.of(limit)))));
            users.put(PutUser.of(user, new PlanId("free")));
            for (int ran = 0; ; ran++) {
                Outcome<ReportRun> started = runs.start(StartRun.of(user));
                if (started instanceof Outcome.Refused<ReportRun> refused) {
                    System.out.println("refused: " + refused.refusal().message());
                    return ran;
                }
                ReportRun run = ((Outcome.Done<ReportRun>) started).value();
                runs.complete(CompleteRun.of(user, run.id(), RunCompletion.of(RunStatus.SUCCEEDED)));
            }
        }
    }

    /** The ports of one storage (here in memory; a JdbcStorage's ports() bind the same way), and the settings. */
    static final class TallyModule extends AbstractModule {

        private final TallyStorage storage = InMemoryStorage.create();

        @Override
        protected void configure() {
            // Every port the storage names, so a port added to TallyStorage needs nothing here.
            for (RecordComponent port : TallyStorage.class.getRecordComponents()) {
                bindPort(port.getType(), port);
            }
            bind(Clock.class).toInstance(Clock.systemUTC());
            bind(LateEventPolicy.class).toInstance(LateEventPolicy.DEFAULT);
            bind(ProviderDetector.class).toInstance(ProviderDetector.withDefaults());
            bind(UseCaseMetrics.class).toInstance(UseCaseMetrics.NONE); // or a MicrometerUseCaseMetrics
        }

        private <T> void bindPort(Class<T> type, RecordComponent port) {
            try {
                bind(type).toInstance(type.cast(port.getAccessor().invoke(storage)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read the port " + port.getName(), e);
            }
        }

        /** How long a run may stay running (R26): the one Duration the services take. */
        @Provides
        @Singleton
        Duration runTimeout() {
            return Duration.ofHours(1);
        }
    }

    public static void main(String[] args) {
        Injector injector = Guice.createInjector(new TallyModule());
        int ran = injector.getInstance(ReportDesk.class).runUntilRefused(new UserId("acme"), 3);
        System.out.println(ran + " runs before the refusal");
        if (ran != 3) {
            throw new IllegalStateException("expected 3 runs before the refusal, got " + ran);
        }
        // The injected metering keeps rate limits and spends credit prices, as Tally.create's does.
        List<String> refusals = injector.getInstance(ReportDesk.class).rateAndCredits(new UserId("initech"));
        System.out.println("refusals: " + refusals);
        if (!refusals.equals(List.of("rate_limited", "insufficient_credits"))) {
            throw new IllegalStateException("expected the third call rate limited and the summary refused for"
                    + " credits, got " + refusals);
        }
    }
}
