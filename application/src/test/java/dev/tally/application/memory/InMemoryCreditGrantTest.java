package dev.tally.application.memory;

import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.application.port.contract.CreditGrantContract;

class InMemoryCreditGrantTest extends CreditGrantContract {

    private final InMemoryCreditTransactionRepository credits = new InMemoryCreditTransactionRepository();

    @Override
    protected CreditTransactionRepository credits() {
        return credits;
    }

    @Override
    protected CreditTransactionRepository otherNode() {
        return credits;
    }
}
