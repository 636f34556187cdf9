package dev.tally.domain.health;

import java.util.Locale;

/** The service's health by server error rate (R51). */
public enum HealthStatus {
    HEALTHY, WARNING, CRITICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
