package dev.tally.application.memory;

import dev.tally.application.port.ModelPriceRepository;
import dev.tally.domain.run.ModelPrice;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The price table in memory. */
public final class InMemoryModelPriceRepository implements ModelPriceRepository {

    private final Map<String, ModelPrice> prices = new ConcurrentHashMap<>();

    @Override
    public void save(ModelPrice price) {
        prices.put(price.model(), price);
    }

    @Override
    public Optional<ModelPrice> find(String model) {
        return Optional.ofNullable(prices.get(model));
    }

    @Override
    public List<ModelPrice> all() {
        return prices.values().stream().sorted(Comparator.comparing(ModelPrice::model)).toList();
    }
}
