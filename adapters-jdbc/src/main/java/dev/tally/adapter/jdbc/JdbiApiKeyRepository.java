package dev.tally.adapter.jdbc;

import dev.tally.application.port.ApiKey;
import dev.tally.application.port.ApiKeyRepository;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API key hashes in SQL (R60, R61, R63). Nothing is cached: every request reads its key, so a
 * revocation holds at once on every node; the last use is a conditional write at most once per
 * key and interval.
 */
public final class JdbiApiKeyRepository implements ApiKeyRepository {

    private final Db db;

    JdbiApiKeyRepository(Db db) {
        this.db = db;
    }

    @Override
    public void insert(ApiKey key) {
        db.inTransaction(handle -> Db.attach(handle, ApiKeyDao.class).insert(key.id(), key.hash(),
                key.user().map(UserId::value).orElse(null), key.prefix().orElse(null), key.createdAt()));
    }

    @Override
    public Optional<ApiKey> findByHash(String sha256Hex) {
        return db.read(handle -> Jdbc.first(handle, ApiKeyDao.FIND_BY_HASH, ApiKeyDao::map, sha256Hex));
    }

    @Override
    public List<ApiKey> list(Optional<UserId> user) {
        return db.read(handle -> {
            ApiKeyDao dao = Db.attach(handle, ApiKeyDao.class);
            return user.isPresent() ? dao.ofUser(user.get().value()) : dao.all();
        });
    }

    @Override
    public Optional<ApiKey> revoke(String id, Instant at) {
        return db.inTransaction(handle -> {
            ApiKeyDao dao = Db.attach(handle, ApiKeyDao.class);
            dao.revoke(id, at);
            return dao.findById(id);
        });
    }

    @Override
    public void touch(String id, Instant at, Instant staleBefore) {
        db.inTransaction(handle -> Db.attach(handle, ApiKeyDao.class).touch(id, at, staleBefore));
    }

    @Override
    public boolean anyAdmin() {
        return db.read(handle -> Db.attach(handle, ApiKeyDao.class).anyAdmin());
    }
}
