package dev.tally.domain.event;

import dev.tally.domain.DomainException;
import java.util.Arrays;

/** What an {@link Event} says happened, by its name on the wire (R75). */
public enum EventType {
    USAGE_THRESHOLD_REACHED("usage.threshold_reached"),
    USAGE_LIMIT_DENIED("usage.limit_denied"),
    RUN_COMPLETED("run.completed"),
    CREDITS_BALANCE_LOW("credits.balance_low"),
    /** A grant's unspent remainder lapsed at its expiry (R36). */
    CREDITS_EXPIRED("credits.expired"),
    /** The first refusal by a metric's rate limit in a minute (R90, R91). */
    USAGE_RATE_LIMITED("usage.rate_limited"),
    /** Events of one type that a user caused past its rate bound in a window, told once (R67). */
    EVENTS_COALESCED("events.coalesced");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name clients see and subscribe to, such as {@code usage.threshold_reached}. */
    public String wireName() {
        return wireName;
    }

    /** The type named {@code name}; {@code 400 invalid_event_type} for any other name. */
    public static EventType parse(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst()
                .orElseThrow(() -> DomainException.invalid("invalid_event_type", "unknown event type " + name
                        + "; known: " + Arrays.stream(values()).map(EventType::wireName).toList()));
    }
}
