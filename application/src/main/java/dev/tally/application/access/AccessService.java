package dev.tally.application.access;

import dev.tally.application.port.ApiKeyRepository;
import dev.tally.application.port.Transactions;
import dev.tally.application.user.Accounts;
import dev.tally.domain.Fingerprint;
import dev.tally.domain.user.UserId;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * API keys (R60, R61): a key's plaintext is returned once, at creation, and only its SHA-256 is
 * stored. Admin keys act for any user; user keys only for their own user.
 */
public class AccessService {

    private static final String PREFIX = "tly_";

    private final ApiKeyRepository keys;
    private final Accounts accounts;
    private final Transactions transactions;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public AccessService(ApiKeyRepository keys, Accounts accounts, Transactions transactions, Clock clock) {
        this.keys = keys;
        this.accounts = accounts;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Creates a key for {@code user} and returns its plaintext, which is never stored. */
    public String createUserKey(UserId user) {
        return transactions.inTransaction(() -> {
            accounts.user(user);
            String plaintext = newKey();
            keys.insert(new ApiKey(hash(plaintext), Optional.of(user), clock.instant()));
            return plaintext;
        });
    }

    /** Creates an admin key and returns its plaintext. */
    public String createAdminKey() {
        String plaintext = newKey();
        installAdminKey(plaintext);
        return plaintext;
    }

    /** Stores the hash of an operator-chosen admin key (e.g. from configuration) if it is new. */
    public void installAdminKey(String plaintext) {
        if (plaintext == null || plaintext.length() < 16) {
            throw new IllegalArgumentException("an admin key has at least 16 characters");
        }
        transactions.run(() -> {
            String hash = hash(plaintext);
            if (keys.findByHash(hash).isEmpty()) {
                keys.insert(new ApiKey(hash, Optional.empty(), clock.instant()));
            }
        });
    }

    /** Whether any admin key exists yet. */
    public boolean hasAdminKey() {
        return keys.anyAdmin();
    }

    /** The caller a presented key stands for, or empty when the key is unknown. */
    public Optional<Principal> authenticate(String plaintext) {
        if (plaintext == null || plaintext.isBlank() || plaintext.length() > 200) {
            return Optional.empty();
        }
        return keys.findByHash(hash(plaintext)).map(key -> new Principal(key.user()));
    }

    /** The stored form of a key: SHA-256 in hex (R61). */
    public static String hash(String plaintext) {
        return Fingerprint.sha256(plaintext);
    }

    private String newKey() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
