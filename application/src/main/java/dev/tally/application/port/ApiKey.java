package dev.tally.application.port;

import dev.tally.domain.Fingerprint;
import dev.tally.domain.user.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored API key: the SHA-256 of its plaintext (R61), and the user it acts for, or none for an
 * admin key that may act for any user (R60). What an operator sees of it (R63) is its {@code id},
 * the {@code prefix} of its plaintext (enough to recognise it, empty for keys stored before
 * prefixes were kept), when it was created and last used, and whether it is revoked.
 *
 * @param id         the key's public identifier, never derived from its plaintext
 * @param hash       SHA-256 of the plaintext, in hex
 * @param user       the user a user key acts for; empty for an admin key
 * @param prefix     the first characters of the plaintext, see {@link #prefixOf(String)}
 * @param createdAt  when the key was created
 * @param lastUsedAt when it last authenticated a request, to within {@code AccessService.LAST_USED_PRECISION}
 * @param revokedAt  when it was revoked; a revoked key authenticates nothing (R63)
 */
public record ApiKey(String id, String hash, Optional<UserId> user, Optional<String> prefix, Instant createdAt,
                     Optional<Instant> lastUsedAt, Optional<Instant> revokedAt) {

    /** Characters of a plaintext kept as its prefix, at most. */
    public static final int PREFIX_LENGTH = 12;

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    /** A key as it is created: never used, not revoked. */
    public static ApiKey created(String id, String plaintext, Optional<UserId> user, Instant at) {
        return new ApiKey(id, hashOf(plaintext), user, Optional.of(prefixOf(plaintext)), at,
                Optional.empty(), Optional.empty());
    }

    /** The stored form of a key's plaintext: SHA-256 in hex (R61). */
    public static String hashOf(String plaintext) {
        return Fingerprint.sha256(plaintext);
    }

    /**
     * The part of a plaintext kept to recognise it: its first {@value #PREFIX_LENGTH} characters,
     * but never more than a quarter of it (rounded up), so an operator-chosen short key keeps most of its secret.
     */
    public static String prefixOf(String plaintext) {
        return plaintext.substring(0, Math.min(PREFIX_LENGTH, (plaintext.length() + 3) / 4));
    }

    public boolean isAdmin() {
        return user.isEmpty();
    }

    public boolean isRevoked() {
        return revokedAt.isPresent();
    }

    /** Whether its last use is unknown or earlier than {@code instant}. */
    public boolean lastUsedBefore(Instant instant) {
        return lastUsedAt.map(used -> used.isBefore(instant)).orElse(true);
    }
}
