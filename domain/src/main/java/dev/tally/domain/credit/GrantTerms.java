package dev.tally.domain.credit;

import dev.tally.domain.DomainException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * What a purchase or grant says about how its credits are spent (R35): a priority from 0 to 100,
 * lower spent first (default 50), and an optional instant at which its unspent remainder expires
 * (R36).
 */
public record GrantTerms(int priority, Optional<Instant> expiresAt) {

    /** The lowest priority number, spent first. */
    public static final int FIRST = 0;
    /** The highest priority number, spent last. */
    public static final int LAST = 100;
    /** The priority of a grant that names none. */
    public static final int DEFAULT_PRIORITY = 50;
    /** How far ahead an expiry may lie. */
    public static final int MAX_YEARS_AHEAD = 10;

    /** Terms of a grant that names neither priority nor expiry: priority 50, never expiring. */
    public static final GrantTerms DEFAULT = new GrantTerms(DEFAULT_PRIORITY, Optional.empty());

    public GrantTerms {
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (priority < FIRST || priority > LAST) {
            throw DomainException.invalid("invalid_priority",
                    "priority is a whole number from " + FIRST + " (spent first) to " + LAST + ": " + priority);
        }
    }

    /**
     * Terms as a client asks for them at {@code now}: an expiry must lie after {@code now} and at
     * most ten years ahead of it.
     */
    public static GrantTerms requested(Optional<Integer> priority, Optional<Instant> expiresAt, Instant now) {
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(expiresAt, "expiresAt");
        expiresAt.ifPresent(at -> {
            if (!at.isAfter(now)) {
                throw DomainException.invalid("invalid_expires_at", "expires_at must lie in the future: " + at);
            }
            if (at.isAfter(now.atOffset(ZoneOffset.UTC).plusYears(MAX_YEARS_AHEAD).toInstant())) {
                throw DomainException.invalid("invalid_expires_at",
                        "expires_at lies at most " + MAX_YEARS_AHEAD + " years ahead: " + at);
            }
        });
        return new GrantTerms(priority.orElse(DEFAULT_PRIORITY), expiresAt);
    }

    /** Whether credits under these terms no longer count at {@code at} (R36). */
    public boolean expiredAt(Instant at) {
        return expiresAt.filter(expiry -> !at.isBefore(expiry)).isPresent();
    }
}
