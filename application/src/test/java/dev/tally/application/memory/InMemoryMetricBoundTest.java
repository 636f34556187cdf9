package dev.tally.application.memory;

import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.contract.MetricBoundContract;

class InMemoryMetricBoundTest extends MetricBoundContract {

    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();

    @Override
    protected UsageLedger ledger() {
        return ledger;
    }
}
