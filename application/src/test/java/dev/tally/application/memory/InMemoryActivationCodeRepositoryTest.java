package dev.tally.application.memory;

import dev.tally.application.port.ActivationCodeRepository;
import dev.tally.application.port.contract.ActivationCodeRepositoryContract;

class InMemoryActivationCodeRepositoryTest extends ActivationCodeRepositoryContract {

    private final InMemoryActivationCodeRepository codes = new InMemoryActivationCodeRepository();

    @Override
    protected ActivationCodeRepository codes() {
        return codes;
    }
}
