package dev.tally.application.memory;

import dev.tally.application.port.ApiKey;
import dev.tally.application.port.ApiKeyRepository;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** API key hashes in memory; revocation and last use are atomic per key. */
public final class InMemoryApiKeyRepository implements ApiKeyRepository {

    private static final Comparator<ApiKey> OLDEST_FIRST =
            Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id);

    private final Map<String, ApiKey> byHash = new ConcurrentHashMap<>();
    private final Map<String, String> hashById = new ConcurrentHashMap<>();

    @Override
    public synchronized void insert(ApiKey key) {
        if (byHash.putIfAbsent(key.hash(), key) == null) {
            hashById.put(key.id(), key.hash());
        }
    }

    @Override
    public Optional<ApiKey> findByHash(String sha256Hex) {
        return Optional.ofNullable(byHash.get(sha256Hex));
    }

    @Override
    public List<ApiKey> list(Optional<UserId> user) {
        return byHash.values().stream()
                .filter(key -> user.isEmpty() || key.user().equals(user))
                .sorted(OLDEST_FIRST)
                .toList();
    }

    @Override
    public Optional<ApiKey> revoke(String id, Instant at) {
        return update(id, key -> key.isRevoked() ? key : new ApiKey(key.id(), key.hash(), key.user(), key.prefix(),
                key.createdAt(), key.lastUsedAt(), Optional.of(at)));
    }

    @Override
    public void touch(String id, Instant at, Instant staleBefore) {
        update(id, key -> !key.lastUsedBefore(staleBefore) ? key : new ApiKey(key.id(), key.hash(), key.user(),
                key.prefix(), key.createdAt(), Optional.of(at), key.revokedAt()));
    }

    @Override
    public boolean anyAdmin() {
        return byHash.values().stream().anyMatch(key -> key.isAdmin() && !key.isRevoked());
    }

    private Optional<ApiKey> update(String id, UnaryOperator<ApiKey> change) {
        String hash = hashById.get(id);
        return hash == null ? Optional.empty() : Optional.ofNullable(byHash.computeIfPresent(hash, (h, key) -> change.apply(key)));
    }
}
