package dev.tally.application.memory;

import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.contract.HoldLedgerContract;

class InMemoryHoldLedgerTest extends HoldLedgerContract {

    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();

    @Override
    protected UsageLedger ledger() {
        return ledger;
    }
}
