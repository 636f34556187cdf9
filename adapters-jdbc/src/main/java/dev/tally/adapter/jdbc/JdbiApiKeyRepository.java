package dev.tally.adapter.jdbc;

import dev.tally.application.access.ApiKey;
import dev.tally.application.port.ApiKeyRepository;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** API key hashes in SQL (R60, R61). Inserting a hash that exists replaces it. */
public final class JdbiApiKeyRepository implements ApiKeyRepository {

    private final Db db;

    public JdbiApiKeyRepository(Jdbi jdbi) {
        this.db = new Db(jdbi);
    }

    @Override
    public void insert(ApiKey key) {
        String user = key.user().map(u -> u.value()).orElse(null);
        db.inTransaction(handle -> {
            ApiKeyDao dao = handle.attach(ApiKeyDao.class);
            return Upsert.run(() -> dao.update(key.hash(), user, key.createdAt()),
                    () -> dao.insert(key.hash(), user, key.createdAt()));
        });
    }

    @Override
    public Optional<ApiKey> findByHash(String sha256Hex) {
        return db.read(handle -> handle.attach(ApiKeyDao.class).find(sha256Hex));
    }

    @Override
    public boolean anyAdmin() {
        return db.read(handle -> handle.attach(ApiKeyDao.class).anyAdmin());
    }
}
