package dev.tally.application.memory;

import dev.tally.application.access.ApiKey;
import dev.tally.application.port.ApiKeyRepository;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API key hashes in memory. */
public final class InMemoryApiKeyRepository implements ApiKeyRepository {

    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();

    @Override
    public void insert(ApiKey key) {
        keys.put(key.hash(), key);
    }

    @Override
    public Optional<ApiKey> findByHash(String sha256Hex) {
        return Optional.ofNullable(keys.get(sha256Hex));
    }

    @Override
    public boolean anyAdmin() {
        return keys.values().stream().anyMatch(ApiKey::isAdmin);
    }
}
