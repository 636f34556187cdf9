package dev.tally.application.memory;

import dev.tally.application.port.CreditTransactionRepository;
import dev.tally.application.port.contract.CreditTransactionRepositoryContract;

class InMemoryCreditTransactionRepositoryTest extends CreditTransactionRepositoryContract {

    private final InMemoryCreditTransactionRepository credits = new InMemoryCreditTransactionRepository();

    @Override
    protected CreditTransactionRepository credits() {
        return credits;
    }
}
