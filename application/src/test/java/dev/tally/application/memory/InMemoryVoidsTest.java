package dev.tally.application.memory;

import dev.tally.application.port.UsageLedger;
import dev.tally.application.port.contract.VoidsContract;

class InMemoryVoidsTest extends VoidsContract {

    private final UsageLedger ledger = new InMemoryUsageLedger();

    @Override
    protected UsageLedger ledger() {
        return ledger;
    }
}
