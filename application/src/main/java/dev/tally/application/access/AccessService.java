package dev.tally.application.access;

import dev.tally.application.idempotency.IdempotentWrites;
import dev.tally.application.port.ApiKey;
import dev.tally.application.port.ApiKeyRepository;
import dev.tally.application.port.Transactions;
import dev.tally.application.user.Accounts;
import dev.tally.domain.DomainException;
import dev.tally.domain.Fingerprint;
import dev.tally.domain.usage.IdempotencyKey;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * API keys (R60, R61, R63): a key's plaintext is returned once, at creation, and only its SHA-256
 * is stored. Admin keys act for any user; user keys only for their own user. Keys are listed
 * without plaintext and revoked by the operator; every request looks its key up in storage, so a
 * revocation holds at once on every node.
 */
public class AccessService {

    /** A key's last use is recorded at most this often, so authenticating stays a read. */
    public static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private static final String PREFIX = "tly_";

    private final ApiKeyRepository keys;
    private final Accounts accounts;
    private final Transactions transactions;
    private final IdempotentWrites writes;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public AccessService(ApiKeyRepository keys, Accounts accounts, Transactions transactions,
                         IdempotentWrites writes, Clock clock) {
        this.writes = writes;
        this.keys = keys;
        this.accounts = accounts;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Creates a key for {@code user}; the answer holds its plaintext, which is never stored. */
    public CreatedKey createUserKey(UserId user) {
        return createUserKey(user, Optional.empty());
    }

    /**
     * Creates a key for {@code user}, once per idempotency key (R20): a retry answers the key the
     * first request created, without its plaintext, which is never stored (R61).
     */
    public CreatedKey createUserKey(UserId user, Optional<IdempotencyKey> idempotencyKey) {
        accounts.user(user);
        return writes.executeAlways(user, idempotencyKey, Fingerprint.of("create-api-key").hex(), () -> {
            String plaintext = newKey();
            ApiKey key = ApiKey.created(newId(), plaintext, Optional.of(user), clock.instant());
            keys.insert(key);
            return new CreatedKey(key.id(), plaintext, key.prefix().orElseThrow(), key.createdAt());
        }, CreatedKey::id, id -> keys.list(Optional.of(user)).stream().filter(key -> key.id().equals(id))
                .findFirst()
                .map(key -> new CreatedKey(key.id(), null, key.prefix().orElseThrow(), key.createdAt()))
                .orElseThrow(() -> DomainException.notFound("api_key_not_found", "no API key " + id)));
    }

    /** Creates an admin key beside any others and returns its plaintext. */
    public String createAdminKey() {
        String plaintext = newKey();
        keys.insert(ApiKey.created(newId(), plaintext, Optional.empty(), clock.instant()));
        return plaintext;
    }

    /**
     * Makes an operator-chosen key (e.g. from configuration) the admin key: stores its hash if it
     * is new and revokes every other admin key, the one it replaces (R63). A key that was revoked
     * stays revoked: installing it again is {@code 409 admin_key_revoked}, so a restart cannot undo
     * a revocation.
     */
    public void installAdminKey(String plaintext) {
        if (plaintext == null || plaintext.length() < 16) {
            throw new IllegalArgumentException("an admin key has at least 16 characters");
        }
        transactions.run(() -> {
            Instant now = clock.instant();
            String hash = hash(plaintext);
            Optional<ApiKey> existing = keys.findByHash(hash);
            if (existing.filter(ApiKey::isRevoked).isPresent()) {
                throw DomainException.conflict("admin_key_revoked",
                        "this admin key was revoked; configure a new one");
            }
            if (existing.filter(key -> !key.isAdmin()).isPresent()) {
                throw DomainException.conflict("admin_key_in_use", "this key is a user's key; configure another one");
            }
            if (existing.isEmpty()) {
                keys.insert(ApiKey.created(newId(), plaintext, Optional.empty(), now));
            }
            for (ApiKey other : keys.list(Optional.empty())) {
                if (other.isAdmin() && !other.isRevoked() && !other.hash().equals(hash)) {
                    keys.revoke(other.id(), now);
                }
            }
        });
    }

    /** Whether any admin key that is not revoked exists. */
    public boolean hasAdminKey() {
        return keys.anyAdmin();
    }

    /**
     * The caller a presented key stands for, or empty when the key is unknown or revoked. Its
     * last use is recorded when the one known is older than {@link #LAST_USED_PRECISION}.
     */
    public Optional<Principal> authenticate(String plaintext) {
        if (plaintext == null || plaintext.isBlank() || plaintext.length() > 200) {
            return Optional.empty();
        }
        Optional<ApiKey> found = keys.findByHash(hash(plaintext)).filter(key -> !key.isRevoked());
        found.ifPresent(this::recordUse);
        return found.map(key -> new Principal(key.user(), Optional.of(key.id())));
    }

    /** The keys of {@code user} ({@code 404} for an unknown user), or every key, without plaintext. */
    public List<ApiKey> list(Optional<UserId> user) {
        user.ifPresent(accounts::user);
        return keys.list(user);
    }

    /**
     * Revokes a key: from now on it is {@code 401} on every node. Revoking it again changes
     * nothing and answers the same; an unknown id is {@code 404 api_key_not_found}.
     */
    public ApiKey revoke(String id) {
        return transactions.inTransaction(() -> keys.revoke(id, clock.instant()))
                .orElseThrow(() -> DomainException.notFound("api_key_not_found", "no API key " + id));
    }

    /** The stored form of a key: SHA-256 in hex (R61). */
    public static String hash(String plaintext) {
        return ApiKey.hashOf(plaintext);
    }

    private void recordUse(ApiKey key) {
        Instant now = clock.instant();
        Instant staleBefore = now.minus(LAST_USED_PRECISION);
        if (key.lastUsedBefore(staleBefore)) {
            keys.touch(key.id(), now, staleBefore);
        }
    }

    private String newKey() {
        return PREFIX + randomText(32);
    }

    private String newId() {
        return "key_" + randomText(12);
    }

    private String randomText(int bytes) {
        byte[] random = new byte[bytes];
        this.random.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
