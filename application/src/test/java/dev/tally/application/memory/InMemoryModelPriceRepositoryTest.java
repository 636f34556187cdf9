package dev.tally.application.memory;

import dev.tally.application.port.ModelPriceRepository;
import dev.tally.application.port.contract.ModelPriceRepositoryContract;

class InMemoryModelPriceRepositoryTest extends ModelPriceRepositoryContract {

    private final InMemoryModelPriceRepository prices = new InMemoryModelPriceRepository();

    @Override
    protected ModelPriceRepository prices() {
        return prices;
    }
}
