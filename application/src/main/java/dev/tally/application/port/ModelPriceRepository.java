package dev.tally.application.port;

import dev.tally.domain.run.ModelPrice;
import java.util.List;
import java.util.Optional;

/** The per-model price table (R27), which also names each model's provider (R41). */
public interface ModelPriceRepository {

    /** Creates or replaces the price of this model. */
    void save(ModelPrice price);

    Optional<ModelPrice> find(String model);

    /** Every price, by model. */
    List<ModelPrice> all();
}
