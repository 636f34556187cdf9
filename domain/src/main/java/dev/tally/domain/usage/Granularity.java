package dev.tally.domain.usage;

import dev.tally.domain.DomainException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The bucket of a usage series (R52): a day or an hour of the user's time zone. */
public enum Granularity {
    /** From one local midnight to the next (23 or 25 hours across a daylight-saving change). */
    DAY,
    /** One local hour. */
    HOUR;

    /** The wire name, e.g. {@code day}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; anything else is {@code 400 invalid_granularity}. */
    public static Granularity fromWireName(String name) {
        for (Granularity granularity : values()) {
            if (granularity.wireName().equals(name)) {
                return granularity;
            }
        }
        throw DomainException.invalid("invalid_granularity", "granularity must be day or hour, not " + name);
    }

    /** Where the bucket after the one containing {@code instant} starts in {@code zone}. */
    Instant nextStart(Instant instant, ZoneId zone) {
        ZonedDateTime local = instant.atZone(zone);
        return switch (this) {
            case DAY -> local.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
            case HOUR -> local.truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
        };
    }
}
