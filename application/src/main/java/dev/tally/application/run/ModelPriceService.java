package dev.tally.application.run;

import dev.tally.application.port.ModelPriceRepository;
import dev.tally.application.port.Transactions;
import dev.tally.domain.run.ModelPrice;
import dev.tally.domain.run.PriceTable;
import jakarta.inject.Inject;
import java.util.List;

/** The per-model price table (R27), which also feeds provider detection (R41). */
public class ModelPriceService {

    private final ModelPriceRepository prices;
    private final Transactions transactions;

    @Inject
    public ModelPriceService(ModelPriceRepository prices, Transactions transactions) {
        this.prices = prices;
        this.transactions = transactions;
    }

    /** Adds the prices Tally ships with ({@code gpt-4o-mini}) unless the operator has set them. */
    public void installDefaults() {
        transactions.run(() -> {
            if (prices.find(ModelPrice.GPT_4O_MINI.model()).isEmpty()) {
                prices.save(ModelPrice.GPT_4O_MINI);
            }
        });
    }

    /** Creates or replaces the price of a model. */
    public ModelPrice put(ModelPrice price) {
        transactions.run(() -> prices.save(price));
        return price;
    }

    /** Every price, by model. */
    public List<ModelPrice> list() {
        return prices.all();
    }

    /** The whole table as it is now. */
    public PriceTable table() {
        return PriceTable.of(prices.all());
    }
}
