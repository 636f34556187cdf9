package dev.tally.application.memory;

import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.contract.UsageLedgerContract;
import dev.tally.domain.period.BillingPeriod;
import dev.tally.domain.plan.MetricKey;
import dev.tally.domain.user.UserId;
import java.math.BigDecimal;

class InMemoryUsageLedgerTest extends UsageLedgerContract {

    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();

    @Override
    protected UsageLedger ledger() {
        return ledger;
    }

    @Override
    protected void corruptRollup(UserId user, MetricKey metric, BillingPeriod period, BigDecimal used) {
        ledger.corruptRollup(user, metric, period, used);
    }
}
