package dev.tally.application.memory;

import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.contract.MeterContract;

class InMemoryMeterTest extends MeterContract {

    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();

    @Override
    protected UsageLedger ledger() {
        return ledger;
    }
}
