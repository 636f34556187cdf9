package dev.tally.application.port;

import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys, stored only as SHA-256 hashes (R61), listed and revoked by the operator (R63). */
public interface ApiKeyRepository {

    /** Stores a new key; a key whose hash is already stored is left as it is. */
    void insert(ApiKey key);

    /** The key with this hash, revoked or not. */
    Optional<ApiKey> findByHash(String sha256Hex);

    /** The keys of {@code user}, or every key when empty, oldest first (then by id). */
    List<ApiKey> list(Optional<UserId> user);

    /**
     * Revokes the key {@code id} at {@code at}; a key already revoked keeps its first revocation
     * instant. Returns the key as it is now, or empty when there is no such key.
     */
    Optional<ApiKey> revoke(String id, Instant at);

    /**
     * Records that the key {@code id} was used at {@code at}, unless its last use is already known
     * to be at or after {@code staleBefore}: a conditional write, so concurrent requests on any
     * number of nodes write at most once per key and interval.
     */
    void touch(String id, Instant at, Instant staleBefore);

    /** Whether any admin key that is not revoked exists (a first start generates one when none does). */
    boolean anyAdmin();
}
