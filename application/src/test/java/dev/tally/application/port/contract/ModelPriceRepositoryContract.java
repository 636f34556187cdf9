package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.assertSameValue;
import static dev.tally.application.port.contract.Fixtures.dec;
import static dev.tally.application.port.contract.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.port.ModelPriceRepository;
import dev.tally.domain.run.ModelPrice;
import org.junit.jupiter.api.Test;

/** What every {@link ModelPriceRepository} promises (R27). */
public abstract class ModelPriceRepositoryContract {

    protected abstract ModelPriceRepository prices();

    @Test
    void R27_a_price_is_saved_replaced_and_listed_by_model() {
        String model = newId("model");
        prices().save(new ModelPrice(model, dec("0.00015"), dec("0.0006"), "openai"));
        ModelPrice replaced = new ModelPrice(model, dec("0.001"), dec("0.002"), "acme");
        prices().save(replaced);

        assertSameValue(prices().find(model).orElseThrow(), replaced);
        assertThat(prices().find("no-such-model")).isEmpty();
        assertThat(prices().all()).extracting(ModelPrice::model).contains(model).isSorted();
    }
}
