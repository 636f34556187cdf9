package dev.tally.adapter.jdbc;

import dev.tally.application.port.ModelPriceRepository;
import dev.tally.domain.run.ModelPrice;
import java.util.List;
import java.util.Optional;

/** The per-model price table in SQL (R27, R41). */
public final class JdbiModelPriceRepository implements ModelPriceRepository {

    private final Db db;

    JdbiModelPriceRepository(Db db) {
        this.db = db;
    }

    @Override
    public void save(ModelPrice price) {
        db.inTransaction(handle -> {
            ModelPriceDao dao = Db.attach(handle, ModelPriceDao.class);
            return Upsert.run(
                    () -> dao.update(price.model(), price.inputPer1k(), price.outputPer1k(), price.provider()),
                    () -> dao.insert(price.model(), price.inputPer1k(), price.outputPer1k(), price.provider()));
        });
    }

    @Override
    public Optional<ModelPrice> find(String model) {
        return db.read(handle -> Db.attach(handle, ModelPriceDao.class).find(model));
    }

    @Override
    public List<ModelPrice> all() {
        return db.read(handle -> Db.attach(handle, ModelPriceDao.class).all());
    }
}
