package dev.tally.application.port;

import dev.tally.application.access.ApiKey;
import java.util.Optional;

/** API keys, stored only as SHA-256 hashes (R61). */
public interface ApiKeyRepository {

    void insert(ApiKey key);

    Optional<ApiKey> findByHash(String sha256Hex);

    /** Whether any admin key exists (a first start generates one when none does). */
    boolean anyAdmin();
}
