package dev.tally.application.billing;

import dev.tally.application.activation.ActivationCodeService;
import dev.tally.application.cost.ApiCallService;
import dev.tally.application.credit.CreditService;
import dev.tally.application.port.AllocationRepository;
import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.application.run.ReportRunService;
import dev.tally.application.usage.Metering;
import dev.tally.application.user.Accounts;
import dev.tally.domain.cost.CostBreakdown;
import dev.tally.domain.credit.CreditGrant;
import dev.tally.domain.overview.BillingOverview;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.Plan;
import dev.tally.domain.user.User;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The billing overview (R50): one answer per user and period, built from the same use cases
 * that serve each part on its own, so the billing page, the profile page and the API can never
 * disagree.
 */
public class BillingService {

    private final Accounts accounts;
    private final Metering metering;
    private final ReportRunService runs;
    private final CreditService credits;
    private final CreditTransactionRepository ledger;
    private final ApiCallService costs;
    private final ActivationCodeService codes;
    private final AllocationRepository allocations;
    private final Clock clock;

    @Inject
    public BillingService(Accounts accounts, Metering metering, ReportRunService runs, CreditService credits,
                          CreditTransactionRepository ledger, ApiCallService costs, ActivationCodeService codes,
                          AllocationRepository allocations, Clock clock) {
        this.accounts = accounts;
        this.metering = metering;
        this.runs = runs;
        this.credits = credits;
        this.ledger = ledger;
        this.costs = costs;
        this.codes = codes;
        this.allocations = allocations;
        this.clock = clock;
    }

    /** The overview of the current period of {@code id}. */
    public BillingOverview overview(UserId id) {
        return overview(id, Optional.empty());
    }

    /** The overview of the period of {@code id} containing {@code at}. */
    public BillingOverview overview(UserId id, Instant at) {
        return overview(id, Optional.of(at));
    }

    /** The overview of the period containing {@code at}, default now. */
    public BillingOverview overview(UserId id, Optional<Instant> at) {
        User user = accounts.user(id);
        Plan plan = accounts.planOf(user);
        BillingPeriod period = user.periodAt(at.orElseGet(clock::instant));
        // Grants this period's plan credits and writes off what lapsed first, so the balance is of now (R36, R37).
        List<CreditGrant> live = credits.liveGrants(user.id(), BillingOverview.MAX_GRANTS_SHOWN);
        return new BillingOverview(user.id(), plan, period,
                metering.metrics(user, plan, period),
                runs.statistics(user, plan, period),
                ledger.balance(user.id()),
                credits.usageByOperation(user, period),
                costs.costs(user, plan, period, CostBreakdown.DEFAULT_TOP),
                codes.stats(user, plan, period),
                plan.allocationsAt(allocations.values(user.id())),
                live);
    }
}
