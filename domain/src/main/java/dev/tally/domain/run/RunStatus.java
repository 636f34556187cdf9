package dev.tally.domain.run;

import dev.tally.domain.DomainException;
import java.util.Locale;

/** The lifecycle of a report run (R25): {@code running} until one final state. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name such as {@code succeeded}. */
    public static RunStatus fromWireName(String name) {
        for (RunStatus status : values()) {
            if (status.wireName().equals(name)) {
                return status;
            }
        }
        throw DomainException.invalid("invalid_status",
                "status must be one of running, succeeded, failed, cancelled: " + name);
    }
}
